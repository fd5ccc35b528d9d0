import { type Hit, MAX_HITS_PER_MESSAGE, type TrackHits } from "../queues/messages.ts";

/**
 * Tracking hits are coalesced per isolate for a few milliseconds and leave as one queue message
 * (`track.hits`), instead of one message per pixel load. This is the one piece of cross-request
 * state in the Worker.
 *
 * The request that starts a flush owns it: the timer, the send and the waitUntil that keeps the
 * isolate alive until the batch is written all belong to that request's context. Requests that only
 * add a hit do not wait on the owner's promise. A promise of one request settling in another's
 * context is what workerd warns about ("resolved from a different request context") and cancels
 * the waiting side's continuations, so a late hit's own waitUntil would not protect it anyway. The
 * owner's does: it covers the whole batch, late hits included.
 */
const FLUSH_AFTER_MS = 25;

// Queues limits: a message ≤ 128 KB, a sendBatch ≤ 100 messages and ≤ 256 KB. Sizes are estimated
// high so no message or batch ever nears them: bodies go with the default "v8" content type, whose
// structured clone stores a string in one byte a character (Latin-1) or two (anything else, lone
// surrogates included), so two bytes a character is an upper bound; 128 bytes a hit covers the
// object's keys, the number and the framing (about 80 measured). A "json" content type would need
// another estimate (up to 6 bytes a character).
const MESSAGE_BUDGET = 96 * 1024;
const BATCH_BUDGET = 2 * MESSAGE_BUDGET;
const MAX_MESSAGES_PER_BATCH = 100;
const estimate = (h: Hit) =>
  128 + 2 * (h.tenantId.length + h.campaignId.length + h.sendId.length + (h.flag?.length ?? 0) + (h.url?.length ?? 0));

let pending: Hit[] = [];
let flushing = false;

/** Hits → messages within the size and count limits, in order. */
export function packHits(hits: Hit[]): { body: TrackHits; bytes: number }[] {
  const out: { body: TrackHits; bytes: number }[] = [];
  let cur: Hit[] = [];
  let bytes = 0;
  for (const h of hits) {
    const b = estimate(h);
    if (cur.length && (cur.length === MAX_HITS_PER_MESSAGE || bytes + b > MESSAGE_BUDGET)) {
      out.push({ body: { kind: "track.hits", hits: cur }, bytes });
      cur = [];
      bytes = 0;
    }
    cur.push(h);
    bytes += b;
  }
  if (cur.length) out.push({ body: { kind: "track.hits", hits: cur }, bytes });
  return out;
}

export function bufferHit(
  queue: Pick<Queue<unknown>, "sendBatch">,
  hit: Hit,
  waitUntil: (p: Promise<unknown>) => void,
  onError: (err: unknown, hits: number) => void,
) {
  pending.push(hit);
  if (flushing) return;
  flushing = true;
  waitUntil(
    new Promise<void>((resolve) => setTimeout(resolve, FLUSH_AFTER_MS)).then(async () => {
      const messages = packHits(pending);
      pending = [];
      flushing = false;
      let group: typeof messages = [];
      let bytes = 0;
      const send = async () => {
        const hits = group.reduce((n, m) => n + m.body.hits.length, 0);
        await queue.sendBatch(group.map((m) => ({ body: m.body }))).catch((err) => onError(err, hits));
      };
      for (const m of messages) {
        if (group.length && (group.length === MAX_MESSAGES_PER_BATCH || bytes + m.bytes > BATCH_BUDGET)) {
          await send();
          group = [];
          bytes = 0;
        }
        group.push(m);
        bytes += m.bytes;
      }
      if (group.length) await send();
    }),
  );
}
