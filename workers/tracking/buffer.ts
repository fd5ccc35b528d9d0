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

// Queues limits: a message ≤ 128 KB, a sendBatch ≤ 256 KB. Each message is sent on its own, so
// only the message limit matters; sizes are estimated high so none nears it: bodies go with the
// default "v8" content type, whose structured clone stores a string in one byte a character
// (Latin-1) or two (anything else, lone surrogates included), so two bytes a character is an upper
// bound; 128 bytes a hit covers the object's keys, the number and the framing (about 80 measured).
// A "json" content type would need another estimate (up to 6 bytes a character).
const MESSAGE_BUDGET = 96 * 1024;
const estimate = (h: Hit) =>
  128 + 2 * (h.tenantId.length + h.campaignId.length + h.sendId.length + (h.flag?.length ?? 0) + (h.url?.length ?? 0));

let pending: Hit[] = [];
let flushing = false;

/** Hits → messages within the size and count limits, in order. */
export function packHits(hits: Hit[]): TrackHits[] {
  const out: TrackHits[] = [];
  let cur: Hit[] = [];
  let bytes = 0;
  for (const h of hits) {
    const b = estimate(h);
    if (cur.length && (cur.length === MAX_HITS_PER_MESSAGE || bytes + b > MESSAGE_BUDGET)) {
      out.push({ kind: "track.hits", hits: cur });
      cur = [];
      bytes = 0;
    }
    cur.push(h);
    bytes += b;
  }
  if (cur.length) out.push({ kind: "track.hits", hits: cur });
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
      // Almost always one message; a flush of more than ~400 hits from one isolate makes several.
      for (const body of messages) await queue.sendBatch([{ body }]).catch((err) => onError(err, body.hits.length));
    }),
  );
}
