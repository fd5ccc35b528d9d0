import { and, asc, desc, eq, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission, requireUserActor } from "../auth/permissions.ts";
import { smtpCredentials } from "../mailboxes/service.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { afterCursor, cursorTs, encodeCursor } from "../platform/cursor.ts";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { type MailDecision, mayMail } from "../suppression/may-mail.ts";
import { requireWorkspaceRole } from "../tenants/access.ts";
import { memberships } from "../tenants/tables.ts";
import { type INBOX_CATEGORIES, inboxMessages, inboxThreads } from "./tables.ts";

type Thread = typeof inboxThreads.$inferSelect;

const toDto = (t: Thread) => ({
  id: t.id,
  workspaceId: t.workspaceId,
  campaignId: t.campaignId,
  leadId: t.leadId,
  mailboxId: t.mailboxId,
  subject: t.subject,
  participant: t.participant,
  status: t.status,
  category: t.category,
  unread: t.unread,
  assignedTo: t.assignedTo,
  lastMessageAt: t.lastMessageAt.toISOString(),
});

async function loadThread(tx: Tx, ctx: Ctx, id: string, min: "viewer" | "member"): Promise<Thread> {
  const [t] = await tx
    .select()
    .from(inboxThreads)
    .where(and(eq(inboxThreads.id, id), eq(inboxThreads.tenantId, ctx.tenant!.id)));
  if (!t) throw new AppError("NOT_FOUND", "Conversation not found.");
  await requireWorkspaceRole(tx, ctx, t.workspaceId, min).catch((err) => {
    throw err instanceof AppError && err.code === "NOT_FOUND" ? new AppError("NOT_FOUND", "Conversation not found.") : err;
  });
  return t;
}

export interface ThreadQuery {
  workspaceId?: string;
  campaignId?: string;
  mailboxId?: string;
  status?: "open" | "archived";
  category?: (typeof INBOX_CATEGORIES)[number];
  unread?: boolean;
  limit: number;
  cursor?: string;
}

/** The unified inbox: threads across all of the tenant's mailboxes, newest activity first. */
export async function listThreads(ctx: Ctx, q: ThreadQuery) {
  requirePermission(ctx, "campaigns:read");
  return withTx(ctx, async (tx) => {
    if (q.workspaceId) await requireWorkspaceRole(tx, ctx, q.workspaceId, "viewer");
    const onlyMine = !q.workspaceId && ctx.actor?.kind === "user" && ctx.tenant!.role === "member" ? ctx.actor.userId : null;
    const rows = await tx
      .select({ t: inboxThreads, ts: cursorTs(inboxThreads.lastMessageAt) })
      .from(inboxThreads)
      .where(
        and(
          eq(inboxThreads.tenantId, ctx.tenant!.id),
          q.workspaceId ? eq(inboxThreads.workspaceId, q.workspaceId) : undefined,
          onlyMine
            ? sql`exists (select 1 from workspace_members wm where wm.workspace_id = ${inboxThreads.workspaceId} and wm.user_id = ${onlyMine})`
            : undefined,
          q.campaignId ? eq(inboxThreads.campaignId, q.campaignId) : undefined,
          q.mailboxId ? eq(inboxThreads.mailboxId, q.mailboxId) : undefined,
          eq(inboxThreads.status, q.status ?? "open"),
          q.category ? eq(inboxThreads.category, q.category) : undefined,
          q.unread !== undefined ? eq(inboxThreads.unread, q.unread) : undefined,
          afterCursor(inboxThreads.lastMessageAt, inboxThreads.id, q.cursor),
        ),
      )
      .orderBy(desc(inboxThreads.lastMessageAt), desc(inboxThreads.id))
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { items: page.map((r) => toDto(r.t)), nextCursor: rows.length > q.limit && last ? encodeCursor(last.ts, last.t.id) : null };
  });
}

export async function getThread(ctx: Ctx, id: string) {
  requirePermission(ctx, "campaigns:read");
  return withTx(ctx, async (tx) => {
    const t = await loadThread(tx, ctx, id, "viewer");
    const messages = await tx.select().from(inboxMessages).where(eq(inboxMessages.threadId, id)).orderBy(asc(inboxMessages.at));
    return {
      ...toDto(t),
      messages: messages.map((m) => ({
        id: m.id,
        direction: m.direction,
        from: m.fromAddress,
        to: m.toAddress,
        subject: m.subject,
        text: m.text,
        auto: m.auto,
        at: m.at.toISOString(),
      })),
    };
  });
}

export async function updateThread(
  ctx: Ctx,
  id: string,
  input: {
    unread?: boolean;
    status?: "open" | "archived";
    category?: (typeof INBOX_CATEGORIES)[number] | null;
    assignedTo?: string | null;
  },
) {
  requirePermission(ctx, "campaigns:write");
  return withTx(ctx, async (tx) => {
    await loadThread(tx, ctx, id, "member");
    if (input.assignedTo) {
      const [m] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.tenantId, ctx.tenant!.id), eq(memberships.userId, input.assignedTo)));
      if (!m) throw new AppError("BAD_REQUEST", "Assign the conversation to a member of your organization.");
    }
    const [t] = await tx.update(inboxThreads).set(input).where(eq(inboxThreads.id, id)).returning();
    if (input.assignedTo !== undefined || input.category !== undefined) {
      await writeAudit(tx, ctx, { action: "inbox.update", targetType: "inbox_thread", targetId: id, summary: input });
    }
    return toDto(t!);
  });
}

/**
 * Why a person's reply may not go to this address, or null. It is a conversation the lead started,
 * so an unsubscribe does not block it (answering "please remove me" is a courtesy); an address
 * that hard-bounced, complained, or was suppressed by hand (or by import or abuse desk) is never
 * mailed, by a campaign or by a person.
 */
function replyBlockedBy(d: MailDecision): string | null {
  if (d.allowed) return null;
  if (d.reason === "suppressed") return `is suppressed (${d.suppressionReason}, ${d.scope})`;
  if (d.reason === "invalid_address") return "is not a valid address";
  return `cannot be mailed (${d.reason?.replace("lead_", "lead ")})`;
}

/**
 * Replies from the dashboard through the thread's mailbox over SMTP, threaded correctly
 * (In-Reply-To/References to the last message, "Re:" subject), and records it on the thread.
 */
export async function replyToThread(ctx: Ctx, id: string, input: { text: string }) {
  requirePermission(ctx, "campaigns:write");
  const actor = requireUserActor(ctx);
  const { thread, box, last, to, refs } = await withTx(ctx, async (tx) => {
    const thread = await loadThread(tx, ctx, id, "member");
    if (!thread.mailboxId) throw new AppError("CONFLICT", "This conversation has no mailbox to reply from.");
    const [box] = await tx.select().from(mailboxes).where(eq(mailboxes.id, thread.mailboxId));
    if (box?.status !== "active") throw new AppError("CONFLICT", "The conversation's mailbox is not active; resume or fix it first.");
    const msgs = await tx.select().from(inboxMessages).where(eq(inboxMessages.threadId, id)).orderBy(asc(inboxMessages.at));
    const last = [...msgs].reverse().find((m) => m.direction === "in") ?? msgs.at(-1);
    const to = last?.direction === "in" ? last.fromAddress : thread.participant;
    const blocked = replyBlockedBy(await mayMail(tx, ctx.tenant!.id, thread.workspaceId, to, { ignoreUnsubscribes: true }));
    if (blocked) throw new AppError("CONFLICT", `Not sent: ${to} ${blocked}. Remove the suppression first if this is a mistake.`);
    return { thread, box, last, to, refs: msgs.map((m) => m.messageId).filter(Boolean) as string[] };
  });
  const domain = box.email.slice(box.email.indexOf("@") + 1);
  const messageId = `${newId("msg")}@${domain}`;
  const subject = /^re:/i.test(thread.subject) ? thread.subject : `Re: ${thread.subject}`;
  const { buildMessage } = await import("../sending/mime.ts");
  const { SmtpSession } = await import("../sending/smtp.ts");
  const data = buildMessage({
    from: { name: box.fromName, email: box.email },
    to,
    subject,
    text: input.text,
    messageId,
    date: new Date(),
    extraHeaders: {
      ...(last?.messageId ? { "In-Reply-To": `<${last.messageId}>` } : {}),
      ...(refs.length ? { References: refs.map((r) => `<${r}>`).join(" ") } : {}),
    },
  });
  const session = await SmtpSession.open({
    host: box.smtpHost,
    port: box.smtpPort,
    security: box.smtpSecurity,
    ...(await smtpCredentials(ctx, box)),
    heloName: domain,
  });
  try {
    await session.send(box.email, to, data);
  } finally {
    await session.close();
  }
  return withTx(ctx, async (tx) => {
    await tx.insert(inboxMessages).values({
      id: newId("msg"),
      tenantId: ctx.tenant!.id,
      threadId: id,
      direction: "out",
      fromAddress: box.email,
      toAddress: to,
      subject,
      text: input.text,
      messageId,
      inReplyTo: last?.messageId ?? null,
    });
    await tx.update(inboxThreads).set({ unread: false, lastMessageAt: new Date() }).where(eq(inboxThreads.id, id));
    await writeAudit(tx, ctx, { action: "inbox.reply", targetType: "inbox_thread", targetId: id, summary: { to, by: actor.userId } });
    return { sent: true as const, messageId };
  });
}
