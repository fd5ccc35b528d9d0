import type { TrackHit } from "../queues/messages.ts";

/**
 * Tracking hits are coalesced per isolate for a few milliseconds and sent with one sendBatch, instead
 * of one queue write per pixel load. This is the one piece of cross-request state in the Worker.
 *
 * The request that starts a flush owns it: the timer, the sendBatch and the waitUntil that keeps the
 * isolate alive until the batch is written all belong to that request's context. Requests that only
 * add a hit do not wait on the owner's promise. A promise of one request settling in another's
 * context is what workerd warns about ("resolved from a different request context") and cancels
 * the waiting side's continuations, so a late hit's own waitUntil would not protect it anyway. The
 * owner's does: it covers the whole batch, late hits included.
 */
const FLUSH_AFTER_MS = 25;
const MAX_BATCH = 100; // Queues sendBatch limit

let pending: { body: TrackHit }[] = [];
let flushing = false;

export function bufferHit(
  queue: Pick<Queue<unknown>, "sendBatch">,
  hit: TrackHit,
  waitUntil: (p: Promise<unknown>) => void,
  onError: (err: unknown) => void,
) {
  pending.push({ body: hit });
  if (flushing) return;
  flushing = true;
  waitUntil(
    new Promise<void>((resolve) => setTimeout(resolve, FLUSH_AFTER_MS)).then(async () => {
      const batch = pending;
      pending = [];
      flushing = false;
      for (let i = 0; i < batch.length; i += MAX_BATCH) {
        await queue.sendBatch(batch.slice(i, i + MAX_BATCH)).catch(onError);
      }
    }),
  );
}
