import { and, eq, inArray, sql } from "drizzle-orm";
import { campaignClock } from "../../durable-objects/stubs.ts";
import { plannedSendAt } from "../campaigns/rules.ts";
import { campaigns, emailEvents, enrollments, sends } from "../campaigns/tables.ts";
import { smtpCredentials } from "../mailboxes/service.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx, type Tx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { suppressInTx } from "../suppression/service.ts";
import { type PreparedSend, prepareBatch } from "./prepare.ts";
import { MAX_SESSIONS, sessionChunks } from "./sessions.ts";
import { SmtpError, SmtpSession } from "./smtp.ts";

export type Outcome = "ack" | "retry";

type SendRow = typeof sends.$inferSelect;
type Mailbox = typeof mailboxes.$inferSelect;

/**
 * Delivers queued sends for one tenant, grouped by mailbox so one authenticated SMTP session carries
 * several messages. Per send: claim (queued/retry → sending) before any SMTP, re-check that it may
 * still go, render, submit, record. Returns what the queue should do with each message.
 */
export async function deliverSends(ctx: Ctx, env: Env, tenantId: string, sendIds: string[]): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>(sendIds.map((id) => [id, "ack"]));
  const scope = { tenantId, userId: null };
  const { rows, boxes } = await runInTx(ctx.db, scope, async (tx) => {
    // Only queued/retry rows are work: anything else was handled by an earlier delivery (a redelivery).
    const rows = (await tx.select().from(sends).where(inArray(sends.id, sendIds))).filter(
      (r) => r.status === "queued" || r.status === "retry",
    );
    const ids = [...new Set(rows.map((r) => r.mailboxId).filter(Boolean) as string[])];
    const boxes = new Map((ids.length ? await tx.select().from(mailboxes).where(inArray(mailboxes.id, ids)) : []).map((b) => [b.id, b]));
    return { rows, boxes };
  });
  const usable = rows.filter((r) => boxes.get(r.mailboxId ?? "")?.status === "active");
  const unusable = rows.filter((r) => !usable.includes(r));
  if (unusable.length)
    await requeue(
      ctx,
      tenantId,
      unusable.map((r) => r.id),
      "mailbox not active",
    );
  // One transaction prepares the whole batch (claims first), one records it: DB cost per batch, not per message.
  const prepared = usable.length
    ? await runInTx(ctx.db, scope, (tx) =>
        prepareBatch(
          tx,
          ctx,
          tenantId,
          usable.map((r) => r.id),
          boxes,
        ),
      )
    : [];
  const byMailbox = new Map<string, PreparedSend[]>();
  for (const p of prepared) byMailbox.set(p.send.mailboxId!, [...(byMailbox.get(p.send.mailboxId!) ?? []), p]);
  const jobs = sessionChunks([...byMailbox.entries()]);
  const delivered: Delivered[] = [];
  try {
    // A pool, not waves: a slot takes the next session as soon as its previous one is done.
    let next = 0;
    const runner = async () => {
      while (next < jobs.length) {
        const [mailboxId, group] = jobs[next++]!;
        const r = await deliverGroup(ctx, tenantId, boxes.get(mailboxId)!, group);
        delivered.push(...r.delivered);
        for (const [id, o] of r.outcomes) out.set(id, o);
      }
    };
    // allSettled: every session has finished (and its deliveries are listed) before `finally` records them.
    const settled = await Promise.allSettled(Array.from({ length: Math.min(MAX_SESSIONS, jobs.length) }, runner));
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  } finally {
    if (delivered.length) await runInTx(ctx.db, scope, (tx) => recordSentBatch(tx, tenantId, delivered));
  }
  // Sends changed what is due next (advanced enrolments): let each campaign's clock re-plan.
  for (const campaignId of new Set(prepared.map((p) => p.send.campaignId)))
    await campaignClock(env, campaignId).schedule(tenantId, campaignId, Date.now() + 1000);
  return out;
}

type Delivered = { p: PreparedSend; response: string; at: Date };

/** One SMTP session for a mailbox's prepared messages; failures are classified one by one. */
async function deliverGroup(
  ctx: Ctx,
  tenantId: string,
  box: Mailbox,
  group: PreparedSend[],
): Promise<{ delivered: Delivered[]; outcomes: Map<string, Outcome> }> {
  const outcomes = new Map<string, Outcome>();
  const delivered: Delivered[] = [];
  let session: SmtpSession | null = null;
  // True while a session is being opened: a host we cannot reach fails every message the same way,
  // so the rest of the group is retried later instead of each waiting out its own timeout.
  let opening = false;
  try {
    for (const [index, p] of group.entries()) {
      try {
        if (!session) opening = true;
        session ??= await SmtpSession.open({
          host: box.smtpHost,
          port: box.smtpPort,
          security: box.smtpSecurity,
          ...(await smtpCredentials(ctx, box)),
          heloName: box.email.slice(box.email.indexOf("@") + 1),
        });
        opening = false;
        const response = await session.send(box.email, p.to, p.data);
        delivered.push({ p, response, at: new Date() });
      } catch (err) {
        const e = err instanceof SmtpError ? err : new SmtpError("connect", null, (err as Error).message);
        const action = await recordFailure(ctx, tenantId, p.send, box, p, e);
        outcomes.set(p.send.id, action.outcome);
        if (action.dropSession) {
          await session?.close();
          session = null;
        }
        if (action.stopGroup || opening) {
          const rest = group.slice(index + 1).map((r) => r.send.id);
          if (rest.length) {
            await runInTx(ctx.db, { tenantId, userId: null }, (tx) =>
              tx.update(sends).set({ status: "retry", updatedAt: new Date() }).where(inArray(sends.id, rest)),
            );
            await requeue(ctx, tenantId, rest, e.message);
          }
          break;
        }
      }
    }
  } finally {
    await session?.close();
  }
  return { delivered, outcomes };
}

type Prepared = PreparedSend;

async function recordSentBatch(tx: Tx, tenantId: string, delivered: Delivered[]) {
  const ids = delivered.map((d) => d.p.send.id);
  await tx.execute(sql`
    update sends set status = 'sent', sent_at = v.sent_at, smtp_response = v.response, error = null, updated_at = now()
    from unnest(${sql.param(ids)}::text[], ${sql.param(delivered.map((d) => d.at.toISOString()))}::timestamptz[], ${sql.param(delivered.map((d) => d.response.slice(0, 500)))}::text[])
      as v(id, sent_at, response)
    where sends.id = v.id`);
  await tx.insert(emailEvents).values(
    delivered.map((d) => ({
      id: newId("evt"),
      tenantId,
      campaignId: d.p.send.campaignId,
      sendId: d.p.send.id,
      leadId: d.p.send.leadId,
      type: "sent" as const,
      at: d.at,
      meta: { messageId: d.p.messageId, mailboxId: d.p.send.mailboxId },
    })),
  );
  // Each enrolment moves to its next step (planned inside the sending window) or completes.
  const plans = delivered.map((d) => {
    const s = d.p.schedule;
    if (!d.p.nextStep)
      return { id: d.p.send.enrollmentId, status: "completed", position: 0, at: null as string | null, sentAt: d.at.toISOString() };
    const tz = s.timezone === "lead" ? (d.p.leadTimezone ?? s.fallbackTimezone) : s.timezone;
    const at = plannedSendAt({ dueAt: new Date(d.at.getTime() + d.p.nextStep.waitMinutes * 60_000), window: s, tz });
    return {
      id: d.p.send.enrollmentId,
      status: "active",
      position: d.p.nextStep.position,
      at: at?.toISOString() ?? null,
      sentAt: d.at.toISOString(),
    };
  });
  await tx.execute(sql`
    update enrollments set
      status = v.status,
      next_position = case when v.status = 'completed' then enrollments.next_position + 1 else v.position end,
      next_send_at = v.next_at, last_sent_at = v.sent_at, updated_at = now()
    from unnest(${sql.param(plans.map((p) => p.id))}::text[], ${sql.param(plans.map((p) => p.status))}::text[], ${sql.param(plans.map((p) => p.position))}::int[],
                ${sql.param(plans.map((p) => p.at))}::timestamptz[], ${sql.param(plans.map((p) => p.sentAt))}::timestamptz[])
      as v(id, status, position, next_at, sent_at)
    where enrollments.id = v.id and enrollments.status = 'active'`);
}

/**
 * Classifies an SMTP failure (SPEC §4.8, INTEGRATIONS §5): lost after the message was handed over →
 * `unknown`, never resent; 5xx to RCPT → hard bounce (suppress, stop the lead); authentication
 * refused → the mailbox is paused with the reason and its sends go back to planning; any 4xx or
 * connection failure → retried with backoff; other 5xx → failed.
 */
async function recordFailure(ctx: Ctx, tenantId: string, send: SendRow, box: Mailbox, p: Prepared, e: SmtpError) {
  const now = new Date();
  return runInTx(ctx.db, { tenantId, userId: null }, async (tx) => {
    const set = (status: SendRow["status"]) =>
      tx
        .update(sends)
        .set({ status, error: e.message.slice(0, 500), smtpResponse: e.code ? String(e.code) : null, updatedAt: now })
        .where(eq(sends.id, send.id));
    if (e.outcomeUnknown) {
      await set("unknown");
      return { outcome: "ack" as const, dropSession: true, stopGroup: false };
    }
    if (e.phase === "rcpt" && e.permanent) {
      await set("bounced");
      const [c] = await tx.select({ workspaceId: campaigns.workspaceId }).from(campaigns).where(eq(campaigns.id, send.campaignId));
      await suppressInTx(tx, tenantId, {
        scope: "tenant",
        kind: "address",
        value: p.to,
        reason: "hard_bounce",
        note: `SMTP ${e.message.slice(0, 200)}`,
        createdBy: null,
      });
      await tx
        .update(enrollments)
        .set({ status: "bounced", nextSendAt: null, updatedAt: now })
        .where(eq(enrollments.id, send.enrollmentId));
      await tx.insert(emailEvents).values({
        id: newId("evt"),
        tenantId,
        campaignId: send.campaignId,
        sendId: send.id,
        leadId: send.leadId,
        type: "bounced",
        at: now,
        meta: { code: e.code, message: e.message.slice(0, 300), hard: true, workspaceId: c?.workspaceId },
      });
      return { outcome: "ack" as const, dropSession: false, stopGroup: false };
    }
    if (e.phase === "auth" && e.permanent) {
      await tx
        .update(mailboxes)
        .set({ status: "error", statusReason: `Authentication failed: ${e.message.slice(0, 300)}`, updatedAt: now })
        .where(eq(mailboxes.id, box.id));
      await tx
        .update(sends)
        .set({ status: "requeue", mailboxId: null, error: e.message.slice(0, 500), updatedAt: now })
        .where(eq(sends.id, send.id));
      await tx
        .update(enrollments)
        .set({ nextSendAt: new Date(now.getTime() + 60_000), updatedAt: now })
        .where(eq(enrollments.id, send.enrollmentId));
      return { outcome: "ack" as const, dropSession: true, stopGroup: true };
    }
    if (e.permanent) {
      await set("failed");
      await tx.update(enrollments).set({ status: "failed", nextSendAt: null, updatedAt: now }).where(eq(enrollments.id, send.enrollmentId));
      return { outcome: "ack" as const, dropSession: false, stopGroup: false };
    }
    await set("retry");
    return { outcome: "retry" as const, dropSession: true, stopGroup: false };
  });
}

/** Sends whose mailbox cannot be used go back to planning (another mailbox may take them). */
async function requeue(ctx: Ctx, tenantId: string, ids: string[], why: string) {
  if (!ids.length) return;
  await runInTx(ctx.db, { tenantId, userId: null }, async (tx) => {
    const rows = await tx
      .update(sends)
      .set({ status: "requeue", mailboxId: null, error: why, updatedAt: new Date() })
      .where(and(inArray(sends.id, ids), inArray(sends.status, ["queued", "retry"])))
      .returning({ enrollmentId: sends.enrollmentId });
    if (rows.length)
      await tx
        .update(enrollments)
        .set({ nextSendAt: new Date(Date.now() + 60_000) })
        .where(
          inArray(
            enrollments.id,
            rows.map((r) => r.enrollmentId),
          ),
        );
  });
}

/** Dead-lettered send jobs (retries exhausted): marked failed, visible and retryable. */
export async function markDeadLettered(ctx: Ctx, tenantId: string, sendId: string) {
  await runInTx(ctx.db, { tenantId, userId: null }, (tx) =>
    tx
      .update(sends)
      .set({
        // A send still `sending` may have been handed to the server before the consumer failed: it
        // becomes `unknown` (never resent), not `failed` (which the retry action would send again).
        status: sql`case when ${sends.status} = 'sending' then 'unknown' else 'failed' end`,
        error: sql`coalesce(${sends.error}, '') || ' (retries exhausted)'`,
        updatedAt: new Date(),
      })
      .where(and(eq(sends.id, sendId), inArray(sends.status, ["retry", "queued", "sending"]))),
  );
}
