import type { TrackHit } from "../queues/messages.ts";

/**
 * Tracking hits are coalesced per isolate for a few milliseconds and sent with one sendBatch, instead
 * of one queue write per pixel load. This is the one piece of cross-request state in the Worker: the
 * buffer is flushed by the first request's waitUntil, and every request that adds to it also waits on
 * that flush, so the runtime keeps the isolate alive until the batch is written.
 */
const FLUSH_AFTER_MS = 25;
const MAX_BATCH = 100; // Queues sendBatch limit

let pending: { body: TrackHit }[] = [];
let flushing: Promise<void> | null = null;

export function bufferHit(
  queue: Pick<Queue<unknown>, "sendBatch">,
  hit: TrackHit,
  waitUntil: (p: Promise<unknown>) => void,
  onError: (err: unknown) => void,
) {
  pending.push({ body: hit });
  if (!flushing) {
    flushing = new Promise<void>((resolve) => setTimeout(resolve, FLUSH_AFTER_MS)).then(async () => {
      const batch = pending;
      pending = [];
      flushing = null;
      for (let i = 0; i < batch.length; i += MAX_BATCH) {
        await queue.sendBatch(batch.slice(i, i + MAX_BATCH)).catch(onError);
      }
    });
  }
  waitUntil(flushing);
}
