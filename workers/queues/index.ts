import { planTick } from "../campaigns/plan.ts";
import { processImportStep } from "../leads/imports/step.ts";
import { parseConfig } from "../platform/config.ts";
import { buildCtx } from "../platform/context.ts";
import { createLogger, type Logger } from "../platform/log.ts";
import { deliverSends } from "../sending/deliver.ts";
import { recordTrackingEvents } from "../tracking/record.ts";
import { DEAD_LETTER_QUEUES, handleDeadLetter } from "./dead-letter.ts";
import { enqueue } from "./enqueue.ts";
import { Hit, QueueMessage } from "./messages.ts";

/** Exponential backoff for retryable failures: 5 s, 10 s, 20 s … capped at 10 minutes. */
export const backoffSeconds = (attempts: number) => Math.min(600, 5 * 2 ** Math.max(0, attempts - 1));

/**
 * The Worker's queue() handler. Messages are parsed first: one that does not parse is logged and
 * acked (poison). Send jobs are delivered together, grouped by tenant and mailbox, so one SMTP
 * session carries several messages; everything else is handled one message at a time. A thrown
 * error retries the message with backoff. Messages on a dead-letter queue go to handleDeadLetter.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env, exec: ExecutionContext): Promise<void> {
  const config = parseConfig(env);
  const log = createLogger({ queue: batch.queue }, config.LOG_LEVEL);
  const ctxFor = (requestId: string, tenantId: string, reason: string) => {
    // Sends: one database connection, so that with MAX_SESSIONS SMTP sessions the invocation stays
    // within the six connections a Worker may hold open at once.
    const maxDbConnections = reason === "send" ? 1 : undefined;
    const ctx = buildCtx({ requestId, config, log, waitUntil: (p) => exec.waitUntil(p), maxDbConnections });
    ctx.actor = { kind: "system", userId: null, reason };
    ctx.tenant = { id: tenantId, name: "", role: "owner" };
    return ctx;
  };
  const sendsByTenant = new Map<string, { msg: Message<unknown>; sendIds: string[] }[]>();
  const hits: { msg: Message<unknown>; keyed: (Hit & { key: string })[] }[] = [];
  for (const msg of batch.messages) {
    const parsed = QueueMessage.safeParse(msg.body);
    if (!parsed.success) {
      log.error("queue.poison_message", { messageId: msg.id, issues: parsed.error.issues.slice(0, 5) });
      msg.ack();
      continue;
    }
    const body = parsed.data;
    // The message id is stable across retries: each hit's key derives from it (and its place in
    // the message), so a batch retried after some tenants committed does not count their hits twice.
    if (body.kind === "track.hits") {
      const keyed: (Hit & { key: string })[] = [];
      for (const [i, raw] of body.hits.entries()) {
        const h = Hit.safeParse(raw);
        if (h.success) keyed.push({ ...h.data, key: `${msg.id}:${i}` });
        else log.error("queue.poison_hit", { messageId: msg.id, index: i, issues: h.error.issues.slice(0, 5) });
      }
      if (keyed.length) hits.push({ msg, keyed });
      else msg.ack();
      continue;
    }
    if (body.kind === "track") {
      const { kind: _, ...hit } = body;
      hits.push({ msg, keyed: [{ ...hit, key: msg.id }] });
      continue;
    }
    if (DEAD_LETTER_QUEUES.has(batch.queue)) {
      await handleOne(msg, log, async () => {
        const ctx = ctxFor(`dlq-${msg.id}`, body.tenantId, "dead-letter");
        try {
          await handleDeadLetter(ctx, env, log, body);
        } finally {
          exec.waitUntil(ctx.dispose());
        }
      });
      continue;
    }
    if (body.kind === "send") {
      const list = sendsByTenant.get(body.tenantId);
      if (list) list.push({ msg, sendIds: body.sendIds });
      else sendsByTenant.set(body.tenantId, [{ msg, sendIds: body.sendIds }]);
      continue;
    }
    await handleOne(msg, log, async () => {
      const tenantId = body.tenantId;
      const ctx = ctxFor(`msg-${msg.id}`, tenantId, body.kind);
      try {
        if (body.kind === "lead_import.step") {
          const r = await processImportStep(ctx, { bucket: env.LEAD_IMPORTS, queue: env.IMPORT_QUEUE }, tenantId, body.importId);
          if (r.more) await enqueue(env.IMPORT_QUEUE, body);
        } else if (body.kind === "campaign.tick") {
          await planTick(ctx, env, tenantId, body.campaignId);
        }
      } finally {
        exec.waitUntil(ctx.dispose());
      }
    });
  }
  if (hits.length) {
    const events = hits.flatMap((h) => h.keyed);
    const ctx = ctxFor(`events-${hits[0]!.msg.id}`, events[0]!.tenantId, "events");
    try {
      await recordTrackingEvents(ctx, events);
      for (const h of hits) h.msg.ack();
    } catch (err) {
      log.error("queue.events_failed", { error: err });
      for (const h of hits) h.msg.retry({ delaySeconds: backoffSeconds(h.msg.attempts) });
    } finally {
      exec.waitUntil(ctx.dispose());
    }
  }
  for (const [tenantId, items] of sendsByTenant) {
    const ctx = ctxFor(`sends-${items[0]!.msg.id}`, tenantId, "send");
    try {
      const outcomes = await deliverSends(
        ctx,
        env,
        tenantId,
        items.flatMap((i) => i.sendIds),
      );
      // A message goes again when any of its sends must; the ones that went are skipped then.
      for (const { msg, sendIds } of items) {
        if (sendIds.some((id) => outcomes.get(id) === "retry")) msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
        else msg.ack();
      }
    } catch (err) {
      log.error("queue.send_batch_failed", { tenantId, error: err });
      for (const { msg } of items) msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
    } finally {
      exec.waitUntil(ctx.dispose());
    }
  }
}

async function handleOne(msg: Message<unknown>, log: Logger, fn: () => Promise<void>) {
  try {
    await fn();
    msg.ack();
  } catch (err) {
    log.error("queue.message_failed", { messageId: msg.id, attempts: msg.attempts, error: err });
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
  }
}
