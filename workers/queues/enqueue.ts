import { QueueMessage } from "./messages.ts";

/** Producers go through here so a malformed message fails at the sender, not in a consumer. */
export type Producer = Pick<Queue<unknown>, "send">;

export async function enqueue(queue: Producer, msg: QueueMessage, opts?: { delaySeconds?: number }) {
  await queue.send(QueueMessage.parse(msg), opts);
}
