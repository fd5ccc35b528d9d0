import { describe, expect, it } from "vitest";
import { type Hit, MAX_HITS_PER_MESSAGE, QueueMessage } from "../../workers/queues/messages.ts";
import { bufferHit, packHits } from "../../workers/tracking/buffer.ts";

type BatchQueue = Pick<Queue<unknown>, "sendBatch">;

const hit = (i: number, url?: string): Hit => ({
  tenantId: `ten_${i % 3}`,
  campaignId: "cmp_a",
  sendId: `snd_${i}`,
  type: url ? "clicked" : "opened",
  at: i,
  flag: null,
  ...(url ? { url } : {}),
});

/** A queue that keeps what it is given, and the size of each call as Queues would count it. */
function recordingQueue(fail?: (call: number) => boolean) {
  const calls: { body: unknown }[][] = [];
  const queue = {
    sendBatch: async (msgs: Iterable<{ body: unknown }>) => {
      const list = [...msgs];
      calls.push(list);
      if (fail?.(calls.length)) throw new Error("queue down");
    },
  } as unknown as BatchQueue;
  return { queue, calls };
}

describe("bufferHit", () => {
  it("gathers hits of several tenants into one track.hits message, sent by the first request alone", async () => {
    const { queue, calls } = recordingQueue();
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
    expect(calls).toEqual([[{ body: { kind: "track.hits", hits: [hit(0), hit(1), hit(2)] } }]]);
    // What the consumer gets back parses.
    expect(QueueMessage.safeParse(calls[0]![0]!.body).success).toBe(true);
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
    expect(calls[1]).toEqual([{ body: { kind: "track.hits", hits: [hit(3)] } }]);
  });

  it("reports a failed send with the number of hits it carried", async () => {
    const { queue } = recordingQueue(() => true);
    const errors: number[] = [];
    const waits: Promise<unknown>[] = [];
    for (let i = 0; i < 7; i++)
      bufferHit(
        queue,
        hit(i),
        (p) => waits.push(p),
        (_e, n) => errors.push(n),
      );
    await Promise.all(waits);
    expect(errors).toEqual([7]);
  });
});

describe("packHits", () => {
  it("keeps every hit, in order, in messages within the hit cap", () => {
    const hits = Array.from({ length: MAX_HITS_PER_MESSAGE * 2 + 3 }, (_, i) => hit(i));
    const msgs = packHits(hits);
    expect(msgs.map((m) => m.body.hits.length)).toEqual([MAX_HITS_PER_MESSAGE, MAX_HITS_PER_MESSAGE, 3]);
    expect(msgs.flatMap((m) => m.body.hits)).toEqual(hits);
    for (const m of msgs) expect(QueueMessage.safeParse(m.body).success).toBe(true);
  });

  it("keeps each message well under the 128 KB Queues limit, even for clicks with long URLs", () => {
    const long = `https://example.com/${"ü".repeat(4000)}`.slice(0, 4096);
    const hits = Array.from({ length: 120 }, (_, i) => hit(i, long));
    const msgs = packHits(hits);
    expect(msgs.length).toBeGreaterThan(1);
    expect(msgs.flatMap((m) => m.body.hits)).toEqual(hits);
    // Measured, not estimated: the UTF-8 JSON of each message (the v8 serialisation Queues uses is
    // no larger for these strings: one byte a Latin-1 character, two otherwise).
    for (const m of msgs) expect(new TextEncoder().encode(JSON.stringify(m.body)).length).toBeLessThan(128 * 1024);
  });

  it("splits a large flush into sendBatch calls within the 256 KB batch limit", async () => {
    const { queue, calls } = recordingQueue();
    const long = `https://example.com/${"x".repeat(4000)}`;
    const waits: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++)
      bufferHit(
        queue,
        hit(i, long),
        (p) => waits.push(p),
        () => undefined,
      );
    await Promise.all(waits);
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) expect(new TextEncoder().encode(JSON.stringify(call.map((m) => m.body))).length).toBeLessThan(256 * 1024);
    expect(calls.flatMap((c) => c.flatMap((m) => (m.body as { hits: Hit[] }).hits))).toHaveLength(200);
  });
});
