import { and, count, eq, sql } from "drizzle-orm";
import { campaigns, emailEvents, enrollments, sends } from "../campaigns/tables.ts";
import { inboxMessages, inboxThreads } from "../inbox/tables.ts";
import { alertAdmins } from "../infra/alerts.ts";
import { leads } from "../leads/tables.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx, type Tx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { suppressInTx } from "../suppression/service.ts";
import { suppressions } from "../suppression/tables.ts";
import { type MatchedBy, resolveSendRef } from "./match.ts";
import { parseInbound } from "./parse.ts";

/** Soft bounces of one address before it is suppressed (SPEC §4.10). */
export const SOFT_BOUNCE_LIMIT = 3;

export type InboundResult = { handled: string; sendId?: string; tenantId?: string; via?: MatchedBy };

/**
 * Applies an inbound message (from the email() handler or the dev feed): bounces suppress and stop
 * the lead, complaints suppress platform-wide, replies stop the sequence and open an inbox thread.
 * Idempotent per inbound Message-ID: the same message fed twice changes nothing more.
 * `envelope.to` is the SMTP recipient: a VERP address there names the send a bounce is about
 * (match.ts `resolveSendRef`); one whose send does not exist is dropped like unmatched mail.
 */
export async function processInbound(
  ctx: Ctx,
  raw: string | Uint8Array,
  envelope: { from?: string; to?: string } = {},
): Promise<InboundResult> {
  const { inbound, messageId } = await parseInbound(raw);
  if (inbound.kind === "unknown") return { handled: "ignored" };
  const matched = resolveSendRef(inbound.kind, inbound.ref, envelope.to);
  if (!matched) return { handled: `${inbound.kind}_unmatched` };
  const { ref, via } = matched;
  // Mail recorded in the transaction (the complaint alert) is submitted only once it has committed.
  let afterCommit: (() => void) | null = null;
  const result = await runInTx(ctx.db, { tenantId: ref.tenantId, userId: null }, async (tx): Promise<InboundResult> => {
    // RLS scopes this to the tenant the reference names: a made-up pairing finds nothing.
    const [send] = await tx.select().from(sends).where(eq(sends.id, ref.sendId));
    if (!send) return { handled: `${inbound.kind}_unknown_send`, via };
    const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, send.campaignId));
    const [lead] = await tx.select().from(leads).where(eq(leads.id, send.leadId));
    const dedupe = messageId ?? `${inbound.kind}:${send.id}:${envelope.from ?? ""}`;
    const seen = await tx.execute(
      sql`select 1 from email_events where tenant_id = ${ref.tenantId} and meta ->> 'inboundId' = ${dedupe} limit 1`,
    );
    if (seen.rows.length) return { handled: "duplicate", sendId: send.id, tenantId: ref.tenantId, via };
    const event = (type: (typeof emailEvents.$inferInsert)["type"], meta: Record<string, unknown>) =>
      tx.insert(emailEvents).values({
        id: newId("evt"),
        tenantId: ref.tenantId,
        campaignId: send.campaignId,
        sendId: send.id,
        leadId: send.leadId,
        type,
        meta: { ...meta, inboundId: dedupe, matchedBy: via },
      });

    if (inbound.kind === "bounce") {
      // A bounce is about the address this send went to, whatever the report names: a forwarded
      // recipient's Final-Recipient is another address (mail to ours still cannot arrive), and a
      // forged report must not suppress anyone but the one who received the message it quotes.
      // The report's recipient only counts when the send has no recorded address.
      const address = send.toAddress ?? inbound.recipient ?? lead?.email ?? null;
      await event("bounced", {
        class: inbound.class,
        status: inbound.status,
        diagnostic: inbound.diagnostic?.slice(0, 500),
        delayed: inbound.delayed,
      });
      if (inbound.delayed || !address) return { handled: "bounce_delayed", sendId: send.id, tenantId: ref.tenantId, via };
      if (inbound.class === "hard") {
        await suppressInTx(tx, ref.tenantId, {
          scope: "tenant",
          kind: "address",
          value: address,
          reason: "hard_bounce",
          note: `${inbound.status ?? ""} ${inbound.diagnostic ?? ""}`.trim().slice(0, 300),
        });
        await stopLead(tx, send.leadId, "bounced");
        await tx
          .update(sends)
          .set({ status: "bounced", error: inbound.diagnostic?.slice(0, 500) ?? inbound.status, updatedAt: new Date() })
          .where(and(eq(sends.id, send.id), eq(sends.status, "sent")));
        return { handled: "bounce_hard", sendId: send.id, tenantId: ref.tenantId, via };
      }
      if (inbound.class === "soft") {
        const [n] = await tx
          .select({ n: count() })
          .from(emailEvents)
          .where(
            and(
              eq(emailEvents.tenantId, ref.tenantId),
              eq(emailEvents.leadId, send.leadId),
              eq(emailEvents.type, "bounced"),
              sql`${emailEvents.meta} ->> 'class' = 'soft' and coalesce(${emailEvents.meta} ->> 'delayed', 'false') = 'false'`,
            ),
          );
        if ((n?.n ?? 0) >= SOFT_BOUNCE_LIMIT) {
          await suppressInTx(tx, ref.tenantId, {
            scope: "tenant",
            kind: "address",
            value: address,
            reason: "hard_bounce",
            note: `${SOFT_BOUNCE_LIMIT} soft bounces`,
          });
          await stopLead(tx, send.leadId, "bounced");
          return { handled: "bounce_soft_suppressed", sendId: send.id, tenantId: ref.tenantId, via };
        }
      }
      return { handled: `bounce_${inbound.class}`, sendId: send.id, tenantId: ref.tenantId, via };
    }

    if (inbound.kind === "complaint") {
      const address = inbound.recipient ?? send.toAddress ?? lead?.email;
      await event("complained", { feedbackType: inbound.feedbackType });
      if (address) {
        // Platform-wide: nobody on PenguinMails mails a complainer again (staff-level write, policy staff_global_write).
        await tx.execute(sql`select set_config('app.staff_role', 'super_admin', true)`);
        await tx
          .insert(suppressions)
          .values({
            id: newId("sup"),
            scope: "global",
            tenantId: null,
            workspaceId: null,
            kind: "address",
            value: address.toLowerCase(),
            reason: "complaint",
            note: `ARF ${inbound.feedbackType} via ${ref.tenantId}`,
          })
          .onConflictDoNothing();
        await tx.execute(sql`select set_config('app.staff_role', '', true)`);
        await tx
          .update(leads)
          .set({ status: "complained", updatedAt: new Date() })
          .where(and(eq(leads.tenantId, ref.tenantId), eq(leads.email, address.toLowerCase())));
      }
      await stopLead(tx, send.leadId, "complained");
      ctx.log.warn("inbound.complaint", { tenantId: ref.tenantId, campaignId: send.campaignId, feedbackType: inbound.feedbackType });
      // A complaint is the strongest signal a mailbox provider sends: above ~0.3 % Gmail and Yahoo
      // start rejecting, so the people who run the account hear of each one at once.
      afterCommit = await alertAdmins(
        tx,
        ctx,
        ref.tenantId,
        `Spam complaint from ${address ?? "a recipient"}${c ? ` (${c.name})` : ""}`,
        [
          `${address ?? "A recipient"} marked an e-mail from campaign "${c?.name ?? send.campaignId}" as spam (feedback report type: ${inbound.feedbackType}).`,
          "",
          "The address is now suppressed on the whole platform and will never be e-mailed again, and the lead's sequence has stopped.",
          "",
          "Mailbox providers start filtering or rejecting senders whose complaint rate passes about 0.3 % (Gmail and Yahoo sender rules). If more complaints follow, pause the campaign and review its audience and copy.",
        ].join("\n"),
      );
      return { handled: "complaint", sendId: send.id, tenantId: ref.tenantId, via };
    }

    // A reply (human or automatic): recorded on the thread; only a human reply stops the sequence.
    await event("replied", { auto: inbound.auto, autoReason: inbound.autoReason });
    if (!inbound.auto) await stopLead(tx, send.leadId, "replied", send.campaignId);
    const threadId = await upsertThread(tx, ref.tenantId, {
      workspaceId: c?.workspaceId ?? "",
      campaignId: send.campaignId,
      leadId: send.leadId,
      mailboxId: send.mailboxId,
      rootSendId: send.id,
      subject: send.subject ?? inbound.subject,
      participant: inbound.from ?? lead?.email ?? "",
      outbound: {
        to: send.toAddress ?? "",
        subject: send.subject ?? "",
        messageId: send.messageId,
        text: send.bodyText ?? "",
        at: send.sentAt ?? send.queuedAt,
      },
      category: inbound.auto ? "out_of_office" : null,
    });
    await tx
      .insert(inboxMessages)
      .values({
        id: newId("msg"),
        tenantId: ref.tenantId,
        threadId,
        direction: "in",
        fromAddress: inbound.from ?? "",
        toAddress: envelope.to ?? "",
        subject: inbound.subject,
        text: inbound.text,
        messageId: inbound.messageId,
        inReplyTo: send.messageId,
        auto: inbound.auto,
      })
      .onConflictDoNothing();
    return { handled: inbound.auto ? "auto_reply" : "reply", sendId: send.id, tenantId: ref.tenantId, via };
  });
  // (The cast: TypeScript does not see the assignment inside the callback and narrows to null.)
  (afterCommit as (() => void) | null)?.();
  return result;
}

async function stopLead(tx: Tx, leadId: string, status: "bounced" | "complained" | "replied", campaignId?: string) {
  await tx
    .update(enrollments)
    .set({ status, nextSendAt: null, updatedAt: new Date() })
    .where(
      and(
        eq(enrollments.leadId, leadId),
        eq(enrollments.status, "active"),
        campaignId ? eq(enrollments.campaignId, campaignId) : undefined,
      ),
    );
  if (status !== "replied")
    await tx
      .update(leads)
      .set({ status, updatedAt: new Date() })
      .where(and(eq(leads.id, leadId), eq(leads.status, "active")));
}

async function upsertThread(
  tx: Tx,
  tenantId: string,
  t: {
    workspaceId: string;
    campaignId: string;
    leadId: string;
    mailboxId: string | null;
    rootSendId: string;
    subject: string;
    participant: string;
    outbound: { to: string; subject: string; messageId: string | null; text: string; at: Date };
    category: string | null;
  },
): Promise<string> {
  const [existing] = await tx
    .select({ id: inboxThreads.id })
    .from(inboxThreads)
    .where(and(eq(inboxThreads.tenantId, tenantId), eq(inboxThreads.rootSendId, t.rootSendId)));
  if (existing) {
    await tx.update(inboxThreads).set({ unread: true, status: "open", lastMessageAt: new Date() }).where(eq(inboxThreads.id, existing.id));
    return existing.id;
  }
  const id = newId("thr");
  await tx.insert(inboxThreads).values({
    id,
    tenantId,
    workspaceId: t.workspaceId,
    campaignId: t.campaignId,
    leadId: t.leadId,
    mailboxId: t.mailboxId,
    rootSendId: t.rootSendId,
    subject: t.subject,
    participant: t.participant,
    category: t.category as (typeof inboxThreads.$inferInsert)["category"],
  });
  // The message that started it, so the thread reads in order.
  const [box] = t.mailboxId
    ? await tx.execute<{ email: string }>(sql`select email from mailboxes where id = ${t.mailboxId}`).then((r) => r.rows)
    : [];
  await tx
    .insert(inboxMessages)
    .values({
      id: newId("msg"),
      tenantId,
      threadId: id,
      direction: "out",
      fromAddress: box?.email ?? "",
      toAddress: t.outbound.to,
      subject: t.outbound.subject,
      text: t.outbound.text,
      messageId: t.outbound.messageId,
      at: t.outbound.at,
    })
    .onConflictDoNothing();
  return id;
}
