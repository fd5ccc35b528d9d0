/** How one queue batch is spread over SMTP sessions (pure: the consumer in deliver.ts does the I/O). */

/**
 * At most this many SMTP sessions open at once in one invocation: Workers allow 6 simultaneous
 * connections, and the send consumer's database pool holds the sixth (queues/index.ts).
 */
export const MAX_SESSIONS = 5;
/**
 * A mailbox with many messages in one batch may use every slot (Postfix allows 50 connections per
 * client by default). In real campaigns the minimum gap between sends keeps this rare.
 */
export const MAX_SESSIONS_PER_MAILBOX = 5;
/** Below this many messages a second session costs more (connect, EHLO, AUTH) than it saves. */
const MIN_PER_SESSION = 8;

/**
 * Splits each mailbox's messages into session-sized chunks: several per mailbox only when the batch
 * has fewer mailboxes than session slots, so a busy mailbox can use the idle slots.
 */
export function sessionChunks<T>(groups: [string, T[]][], slots = MAX_SESSIONS): [string, T[]][] {
  const perMailbox = Math.max(1, Math.min(MAX_SESSIONS_PER_MAILBOX, Math.floor(slots / Math.max(1, groups.length))));
  return groups.flatMap(([id, items]) => {
    const k = Math.max(1, Math.min(perMailbox, Math.floor(items.length / MIN_PER_SESSION)));
    const size = Math.ceil(items.length / k);
    return Array.from({ length: k }, (_, i) => [id, items.slice(i * size, (i + 1) * size)] as [string, T[]]).filter(([, c]) => c.length);
  });
}
