import { processImportStep } from "../leads/imports/step.ts";
import { parseConfig } from "../platform/config.ts";
import { buildCtx } from "../platform/context.ts";
import { createLogger } from "../platform/log.ts";
import { enqueue } from "./enqueue.ts";
import { QueueMessage } from "./messages.ts";

/** Exponential backoff for retryable failures: 5 s, 10 s, 20 s … capped at 10 minutes. */
export const backoffSeconds = (attempts: number) => Math.min(600, 5 * 2 ** Math.max(0, attempts - 1));

/**
 * The Worker's queue() handler. Each message is handled on its own: a message that does not parse
 * is logged and acked (poison), success acks, anything thrown retries with backoff.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env, exec: ExecutionContext): Promise<void> {
  const config = parseConfig(env);
  for (const msg of batch.messages) {
    const log = createLogger({ queue: batch.queue, messageId: msg.id, attempts: msg.attempts }, config.LOG_LEVEL);
    const parsed = QueueMessage.safeParse(msg.body);
    if (!parsed.success) {
      log.error("queue.poison_message", { issues: parsed.error.issues.slice(0, 5) });
      msg.ack();
      continue;
    }
    const body = parsed.data;
    const ctx = buildCtx({ requestId: `msg-${msg.id}`, config, log, waitUntil: (p) => exec.waitUntil(p) });
    ctx.actor = { kind: "system", userId: null, reason: body.kind };
    try {
      switch (body.kind) {
        case "lead_import.step": {
          ctx.tenant = { id: body.tenantId, name: "", role: "owner" };
          const bindings = { bucket: env.LEAD_IMPORTS, queue: env.IMPORT_QUEUE };
          const r = await processImportStep(ctx, bindings, body.tenantId, body.importId);
          if (r.more) await enqueue(env.IMPORT_QUEUE, body);
          break;
        }
      }
      msg.ack();
    } catch (err) {
      log.error("queue.message_failed", { kind: body.kind, error: err });
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
    } finally {
      exec.waitUntil(ctx.dispose());
    }
  }
}
