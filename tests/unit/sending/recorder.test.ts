import { describe, expect, it } from "vitest";
import { Recorder } from "../../../workers/sending/recorder.ts";

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("Recorder", () => {
  it("writes in the background, one write at a time, batching what arrived meanwhile", async () => {
    const writes: number[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const r = new Recorder<number>(async (chunk) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await tick();
      writes.push(chunk);
      inFlight--;
    });
    r.add(1);
    r.add(2);
    r.add(3);
    await tick();
    r.add(4);
    await r.drain();
    expect(writes.flat()).toEqual([1, 2, 3, 4]);
    expect(writes[0]).toEqual([1]);
    expect(writes.length).toBeLessThan(4);
    expect(maxInFlight).toBe(1);
    expect(r.failed).toBe(false);
  });

  it("after a failed write it stops, keeps the rows and writes them once more in drain()", async () => {
    const written: number[] = [];
    let fail = true;
    const r = new Recorder<number>(async (chunk) => {
      if (fail) {
        fail = false;
        throw new Error("db down");
      }
      written.push(...chunk);
    });
    r.add(1);
    await tick();
    expect(r.failed).toBe(true);
    r.add(2);
    await r.drain();
    expect(written).toEqual([1, 2]);
  });

  it("drain() throws when the last attempt fails too, so the batch is retried, never acked unrecorded", async () => {
    const r = new Recorder<number>(async () => {
      throw new Error("db down");
    });
    r.add(1);
    await expect(r.drain()).rejects.toThrow("db down");
    expect(r.failed).toBe(true);
  });
});

describe("Recorder with holdMs", () => {
  it("lets a quick burst gather into the single write drain() makes", async () => {
    const writes: number[][] = [];
    const r = new Recorder<number>(
      async (chunk) => {
        writes.push(chunk);
      },
      { holdMs: 50 },
    );
    for (let i = 1; i <= 5; i++) {
      r.add(i);
      await tick();
    }
    await r.drain();
    expect(writes).toEqual([[1, 2, 3, 4, 5]]);
  });

  it("still writes slow deliveries in the background, about every holdMs", async () => {
    const writes: number[][] = [];
    const r = new Recorder<number>(
      async (chunk) => {
        writes.push(chunk);
      },
      { holdMs: 20 },
    );
    r.add(1);
    r.add(2);
    await new Promise((res) => setTimeout(res, 60));
    expect(writes).toEqual([[1, 2]]);
    r.add(3);
    await r.drain();
    expect(writes).toEqual([[1, 2], [3]]);
  });
});
