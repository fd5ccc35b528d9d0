import { describe, expect, it } from "vitest";

type BatchQueue = Pick<Queue<unknown>, "sendBatch">;

import type { TrackHit } from "../../workers/queues/messages.ts";
import { bufferHit } from "../../workers/tracking/buffer.ts";

const hit = (i: number): TrackHit => ({
  kind: "track",
  tenantId: "ten_a",
  campaignId: "cmp_a",
  sendId: `snd_${i}`,
  type: "opened",
  at: i,
  flag: null,
});

describe("bufferHit", () => {
  it("coalesces hits into one sendBatch owned by the first request; later requests wait on nothing", async () => {
    const batches: unknown[][] = [];
    const queue = {
      sendBatch: async (msgs: Iterable<unknown>) => {
        batches.push([...msgs]);
      },
    } as unknown as BatchQueue;
    const waits: Promise<unknown>[][] = [[], [], []];
    for (let r = 0; r < 3; r++)
      bufferHit(
        queue,
        hit(r),
        (p) => waits[r]!.push(p),
        () => undefined,
      );
    // Only the owner holds a waitUntil: a promise from its context settling in another's is what
    // workerd warns about and cancels.
    expect(waits.map((w) => w.length)).toEqual([1, 0, 0]);
    await waits[0]![0];
    expect(batches).toEqual([[{ body: hit(0) }, { body: hit(1) }, { body: hit(2) }]]);
    // The next hit starts a new flush with a new owner.
    const next: Promise<unknown>[] = [];
    bufferHit(
      queue,
      hit(3),
      (p) => next.push(p),
      () => undefined,
    );
    expect(next.length).toBe(1);
    await next[0];
    expect(batches[1]).toEqual([{ body: hit(3) }]);
  });

  it("splits a flush into sendBatch calls of at most 100 and reports a failed one", async () => {
    const sizes: number[] = [];
    const errors: unknown[] = [];
    let calls = 0;
    const queue = {
      sendBatch: async (msgs: Iterable<unknown>) => {
        calls++;
        sizes.push([...msgs].length);
        if (calls === 1) throw new Error("queue down");
      },
    } as unknown as BatchQueue;
    const waits: Promise<unknown>[] = [];
    for (let i = 0; i < 250; i++)
      bufferHit(
        queue,
        hit(i),
        (p) => waits.push(p),
        (e) => errors.push(e),
      );
    await Promise.all(waits);
    expect(sizes).toEqual([100, 100, 50]);
    expect(errors.length).toBe(1);
  });
});
