import { and, eq, inArray, sql } from "drizzle-orm";
import { campaignClock } from "../../durable-objects/stubs.ts";
import { plannedSendAt } from "../campaigns/rules.ts";
import { type CampaignSchedule, campaignSteps, campaigns, emailEvents, enrollments, sends, stepVariants } from "../campaigns/tables.ts";
import { fieldDefs } from "../leads/service.ts";
import { leads } from "../leads/tables.ts";
import { smtpCredentials } from "../mailboxes/service.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx, type Tx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { mayMail } from "../suppression/may-mail.ts";
import { suppressInTx } from "../suppression/service.ts";
import { withComplianceFooter } from "../templates/footer.ts";
import { renderMessage } from "../templates/render.ts";
import { leadForRender } from "../templates/service.ts";
import { workspaces } from "../tenants/tables.ts";
import { buildMessage } from "./mime.ts";
import { SmtpError, SmtpSession } from "./smtp.ts";
import { signUnsubscribe } from "./unsubscribe-token.ts";

export type Outcome = "ack" | "retry";

/** At most this many SMTP sessions open at once in one invocation (Workers allow 6 connections). */
export const MAX_SESSIONS = 5;

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
  const rows = await runInTx(ctx.db, scope, (tx) => tx.select().from(sends).where(inArray(sends.id, sendIds)));
  const byMailbox = new Map<string, SendRow[]>();
  for (const r of rows) {
    if (r.status !== "queued" && r.status !== "retry") continue; // already handled: a redelivery
    byMailbox.set(r.mailboxId ?? "", [...(byMailbox.get(r.mailboxId ?? "") ?? []), r]);
  }
  const groups = [...byMailbox.entries()];
  const touched = new Set<string>();
  for (let i = 0; i < groups.length; i += MAX_SESSIONS) {
    await Promise.all(
      groups.slice(i, i + MAX_SESSIONS).map(async ([mailboxId, group]) => {
        for (const r of group) touched.add(r.campaignId);
        const results = await deliverGroup(ctx, env, tenantId, mailboxId, group);
        for (const [id, o] of results) out.set(id, o);
      }),
    );
  }
  // Sends changed what is due next (advanced enrolments): let each campaign's clock re-plan.
  for (const campaignId of touched) await campaignClock(env, campaignId).schedule(tenantId, campaignId, Date.now() + 1000);
  return out;
}

async function deliverGroup(ctx: Ctx, env: Env, tenantId: string, mailboxId: string, group: SendRow[]): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  const scope = { tenantId, userId: null };
  const [box] = mailboxId ? await runInTx(ctx.db, scope, (tx) => tx.select().from(mailboxes).where(eq(mailboxes.id, mailboxId))) : [];
  if (!box || box.status !== "active") {
    await requeue(
      ctx,
      tenantId,
      group.map((g) => g.id),
      box ? `mailbox ${box.status}` : "mailbox removed",
    );
    for (const g of group) out.set(g.id, "ack");
    return out;
  }
  let session: SmtpSession | null = null;
  try {
    for (const send of group) {
      const prepared = await prepare(ctx, tenantId, send, box);
      if (!prepared) {
        out.set(send.id, "ack");
        continue;
      }
      try {
        session ??= await SmtpSession.open({
          host: box.smtpHost,
          port: box.smtpPort,
          security: box.smtpSecurity,
          ...(await smtpCredentials(ctx, box)),
          heloName: box.email.slice(box.email.indexOf("@") + 1),
        });
        const response = await session.send(box.email, prepared.to, prepared.data);
        await recordSent(ctx, tenantId, send, prepared, response);
        out.set(send.id, "ack");
      } catch (err) {
        const e = err instanceof SmtpError ? err : new SmtpError("connect", null, (err as Error).message);
        const action = await recordFailure(ctx, tenantId, send, box, prepared, e);
        out.set(send.id, action.outcome);
        if (action.dropSession) {
          await session?.close();
          session = null;
        }
        if (action.stopGroup) {
          const rest = group.slice(group.indexOf(send) + 1);
          await requeue(
            ctx,
            tenantId,
            rest.map((g) => g.id),
            e.message,
          );
          for (const g of rest) out.set(g.id, "ack");
          break;
        }
      }
    }
  } finally {
    await session?.close();
  }
  return out;
}

interface Prepared {
  to: string;
  subject: string;
  data: string;
  messageId: string;
}

/** Claim + re-check + render. Returns null when the send must not go (and records why). */
async function prepare(ctx: Ctx, tenantId: string, send: SendRow, box: Mailbox): Promise<Prepared | null> {
  return runInTx(ctx.db, { tenantId, userId: null }, async (tx) => {
    const [claimed] = await tx
      .update(sends)
      .set({ status: "sending", attempts: sql`${sends.attempts} + 1`, updatedAt: new Date() })
      .where(and(eq(sends.id, send.id), inArray(sends.status, ["queued", "retry"])))
      .returning();
    if (!claimed) return null;
    const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, send.campaignId));
    const [enr] = await tx.select().from(enrollments).where(eq(enrollments.id, send.enrollmentId));
    const [lead] = await tx.select().from(leads).where(eq(leads.id, send.leadId));
    const [step] = await tx.select().from(campaignSteps).where(eq(campaignSteps.id, send.stepId));
    const [variant] = await tx.select().from(stepVariants).where(eq(stepVariants.id, send.variantId));
    const cancel = async (why: string) => {
      await tx.update(sends).set({ status: "cancelled", error: why, updatedAt: new Date() }).where(eq(sends.id, send.id));
      return null;
    };
    if (!c || c.status !== "sending") return cancel(`campaign ${c?.status ?? "deleted"}`);
    if (!enr || enr.status !== "active") return cancel(`enrollment ${enr?.status ?? "deleted"}`);
    if (!lead || !step || !variant || enr.nextPosition !== step.position) return cancel("step no longer current");
    const may = await mayMail(tx, tenantId, c.workspaceId, lead.email);
    if (!may.allowed) {
      await tx
        .update(enrollments)
        .set({ status: lead.status === "active" ? "stopped" : (lead.status as "unsubscribed"), nextSendAt: null, updatedAt: new Date() })
        .where(eq(enrollments.id, enr.id));
      return cancel(`may not mail: ${may.reason}${may.suppressionReason ? ` (${may.suppressionReason})` : ""}`);
    }
    const [ws] = await tx.select({ postalAddress: workspaces.postalAddress }).from(workspaces).where(eq(workspaces.id, c.workspaceId));
    if (!ws?.postalAddress) return cancel("workspace has no postal address");
    const custom = [...(await fieldDefs(tx, tenantId)).keys()];
    const [first, ...rest] = box.fromName.split(" ");
    const rendered = renderMessage(
      { subject: variant.subject, text: variant.bodyText, html: variant.bodyHtml ?? undefined },
      {
        lead: leadForRender(lead),
        sender: { email: box.email, firstName: first ?? "", lastName: rest.join(" "), signature: box.signature ?? "" },
        seed: `${enr.id}:${step.id}`,
        knownCustomFields: custom,
      },
    );
    const token = await signUnsubscribe(ctx.config.AUTH_SECRET, { t: tenantId, w: c.workspaceId, e: lead.email, s: send.id });
    const unsubscribeUrl = `${ctx.config.APP_URL}/t/u/${token}`;
    const final = withComplianceFooter(rendered, { postalAddress: ws.postalAddress, unsubscribeUrl });
    const domain = box.email.slice(box.email.indexOf("@") + 1);
    const messageId = `${send.id}@${domain}`;
    const data = buildMessage({
      from: { name: box.fromName, email: box.email },
      to: lead.email,
      subject: final.subject,
      text: final.text,
      html: final.html,
      messageId,
      date: new Date(),
      listUnsubscribeUrl: unsubscribeUrl,
      extraHeaders: { "X-PM-Send": send.id },
    });
    await tx.update(sends).set({ toAddress: lead.email, subject: final.subject, messageId }).where(eq(sends.id, send.id));
    return { to: lead.email, subject: final.subject, data, messageId };
  });
}

async function recordSent(ctx: Ctx, tenantId: string, send: SendRow, p: Prepared, response: string) {
  await runInTx(ctx.db, { tenantId, userId: null }, async (tx) => {
    const now = new Date();
    await tx
      .update(sends)
      .set({ status: "sent", sentAt: now, smtpResponse: response.slice(0, 500), error: null, updatedAt: now })
      .where(eq(sends.id, send.id));
    await tx.insert(emailEvents).values({
      id: newId("evt"),
      tenantId,
      campaignId: send.campaignId,
      sendId: send.id,
      leadId: send.leadId,
      type: "sent",
      at: now,
      meta: { messageId: p.messageId, mailboxId: send.mailboxId },
    });
    await advance(tx, send, now);
  });
}

/** Moves the enrolment to its next step (planned in the window) or completes it. */
async function advance(tx: Tx, send: SendRow, sentAt: Date) {
  const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, send.campaignId));
  const [enr] = await tx.select().from(enrollments).where(eq(enrollments.id, send.enrollmentId));
  const [step] = await tx.select().from(campaignSteps).where(eq(campaignSteps.id, send.stepId));
  if (!c || !enr || !step) return;
  const [next] = await tx
    .select()
    .from(campaignSteps)
    .where(and(eq(campaignSteps.campaignId, c.id), eq(campaignSteps.position, step.position + 1)));
  if (!next) {
    await tx
      .update(enrollments)
      .set({ status: "completed", nextPosition: step.position + 1, nextSendAt: null, lastSentAt: sentAt, updatedAt: sentAt })
      .where(eq(enrollments.id, enr.id));
    return;
  }
  const s = c.schedule as CampaignSchedule;
  const tz =
    s.timezone === "lead"
      ? ((await tx.select({ tz: leads.timezone }).from(leads).where(eq(leads.id, send.leadId)))[0]?.tz ?? s.fallbackTimezone)
      : s.timezone;
  const at = plannedSendAt({ dueAt: new Date(sentAt.getTime() + next.waitMinutes * 60_000), window: s, tz });
  await tx
    .update(enrollments)
    .set({ nextPosition: next.position, nextSendAt: at, lastSentAt: sentAt, updatedAt: sentAt })
    .where(eq(enrollments.id, enr.id));
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
      .set({ status: "failed", error: sql`coalesce(${sends.error}, '') || ' (retries exhausted)'`, updatedAt: new Date() })
      .where(and(eq(sends.id, sendId), inArray(sends.status, ["retry", "queued", "sending"]))),
  );
}
