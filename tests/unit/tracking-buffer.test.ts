import { serialize } from "node:v8";
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

/** 200 clicks with 4 KB URLs through the buffer, waited out: a flush too big for one sendBatch. */
async function flushLongClicks(queue: BatchQueue, onError: (err: unknown, hits: number) => void = () => undefined) {
  const long = `https://example.com/${"x".repeat(4000)}`;
  const waits: Promise<unknown>[] = [];
  for (let i = 0; i < 200; i++) bufferHit(queue, hit(i, long), (p) => waits.push(p), onError);
  await Promise.all(waits);
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

  it("reports a failed send with the number of hits it carried and still sends the rest", async () => {
    // Long click URLs: the flush needs several sendBatch calls; the first one fails.
    const { queue, calls } = recordingQueue((call) => call === 1);
    const errors: number[] = [];
    await flushLongClicks(queue, (_e, n) => errors.push(n));
    const hitsIn = (call: { body: unknown }[]) => call.reduce((n, m) => n + (m.body as { hits: Hit[] }).hits.length, 0);
    expect(calls.length).toBeGreaterThan(1);
    expect(errors).toEqual([hitsIn(calls[0]!)]);
    expect(calls.slice(1).reduce((n, c) => n + hitsIn(c), 0)).toBe(200 - errors[0]!);
  });

  it("sends hits that arrive while a flush is being sent in the next flush", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const calls: unknown[][] = [];
    const queue = {
      sendBatch: async (msgs: Iterable<{ body: unknown }>) => {
        calls.push([...msgs].flatMap((m) => (m.body as { hits: Hit[] }).hits));
        if (calls.length === 1) await gate;
      },
    } as unknown as BatchQueue;
    const waits: Promise<unknown>[] = [];
    const add = (i: number) =>
      bufferHit(
        queue,
        hit(i),
        (p) => waits.push(p),
        () => undefined,
      );
    add(0);
    await new Promise((r) => setTimeout(r, 40)); // the first flush is now waiting on its sendBatch
    add(1);
    add(2);
    expect(waits.length).toBe(2); // hit 1 started a second flush of its own
    release();
    await Promise.all(waits);
    expect(calls).toEqual([[hit(0)], [hit(1), hit(2)]]);
  });
});

describe("packHits", () => {
  it("keeps every hit, in order, in messages within the hit cap", () => {
    const hits = Array.from({ length: MAX_HITS_PER_MESSAGE * 2 + 3 }, (_, i) => hit(i));
    const msgs = packHits(hits);
    expect(msgs.map((m) => m.hits.length)).toEqual([MAX_HITS_PER_MESSAGE, MAX_HITS_PER_MESSAGE, 3]);
    expect(msgs.flatMap((m) => m.hits)).toEqual(hits);
    for (const m of msgs) expect(QueueMessage.safeParse(m).success).toBe(true);
  });

  it("keeps each message well under the 128 KB Queues limit, even for clicks with long URLs", () => {
    // "€" is three bytes in UTF-8 JSON, two in the v8 serialisation Queues uses by default.
    const long = `https://example.com/${"€".repeat(4000)}`.slice(0, 4096);
    const hits = Array.from({ length: 120 }, (_, i) => hit(i, long));
    const msgs = packHits(hits);
    expect(msgs.length).toBeGreaterThan(1);
    expect(msgs.flatMap((m) => m.hits)).toEqual(hits);
    // Measured, not estimated, in the encoding Queues uses for these bodies (the default "v8"
    // content type is V8's structured-clone serialisation, which node:v8 writes too).
    for (const m of msgs) expect(serialize(m).length).toBeLessThan(128 * 1024);
  });

  it("splits a large flush into sendBatch calls within the 256 KB batch limit", async () => {
    const { queue, calls } = recordingQueue();
    await flushLongClicks(queue);
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) expect(call.reduce((n, m) => n + serialize(m.body).length, 0)).toBeLessThan(256 * 1024);
    expect(calls.flatMap((c) => c.flatMap((m) => (m.body as { hits: Hit[] }).hits))).toHaveLength(200);
  });
});
