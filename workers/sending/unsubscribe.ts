import { and, eq, inArray, sql } from "drizzle-orm";
import { emailEvents, enrollments } from "../campaigns/tables.ts";
import { leads } from "../leads/tables.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { suppressInTx } from "../suppression/service.ts";
import { suppressions } from "../suppression/tables.ts";
import type { UnsubscribeClaims } from "./unsubscribe-token.ts";

/**
 * Honours an unsubscribe (RFC 8058 one-click POST or the footer page): the address is suppressed for
 * the sending workspace at once, the lead's waiting enrolments stop, an event is recorded.
 * Idempotent: a repeated request changes nothing and answers the same.
 */
export const UNSUBSCRIBE_REASONS = {
  not_interested: "Not interested",
  too_many: "Too many e-mails",
  never_asked: "I never asked to be contacted",
  wrong_person: "I'm not the right person",
  other: "Something else",
} as const;
export type UnsubscribeReason = keyof typeof UNSUBSCRIBE_REASONS;

/** Undo from the confirmation page: the entry this link created goes away and the lead is active again. */
export async function resubscribe(ctx: Ctx, c: UnsubscribeClaims): Promise<void> {
  await runInTx(ctx.db, { tenantId: c.t, userId: null }, async (tx) => {
    await tx
      .delete(suppressions)
      .where(
        and(
          eq(suppressions.tenantId, c.t),
          eq(suppressions.scope, "workspace"),
          eq(suppressions.workspaceId, c.w),
          eq(suppressions.value, c.e),
          eq(suppressions.reason, "unsubscribed"),
        ),
      );
    await tx
      .update(leads)
      .set({ status: "active", updatedAt: new Date() })
      .where(and(eq(leads.tenantId, c.t), eq(leads.email, c.e), eq(leads.status, "unsubscribed")));
    const [lead] = await tx
      .select({ id: leads.id })
      .from(leads)
      .where(and(eq(leads.tenantId, c.t), eq(leads.email, c.e)));
    await tx.insert(emailEvents).values({
      id: newId("evt"),
      tenantId: c.t,
      sendId: c.s,
      campaignId: campaignOf(c.s),
      leadId: lead?.id ?? null,
      type: "unsubscribed",
      meta: { workspaceId: c.w, undone: true },
    });
  });
}

/** Records why, when the person tells us (the footer page's optional question). */
export async function recordUnsubscribeReason(ctx: Ctx, c: UnsubscribeClaims, reason: UnsubscribeReason): Promise<void> {
  await runInTx(ctx.db, { tenantId: c.t, userId: null }, (tx) =>
    tx
      .update(suppressions)
      .set({ note: `unsubscribe link: ${UNSUBSCRIBE_REASONS[reason]}` })
      .where(
        and(
          eq(suppressions.tenantId, c.t),
          eq(suppressions.scope, "workspace"),
          eq(suppressions.workspaceId, c.w),
          eq(suppressions.value, c.e),
        ),
      ),
  );
}

export async function unsubscribe(ctx: Ctx, c: UnsubscribeClaims): Promise<void> {
  await runInTx(ctx.db, { tenantId: c.t, userId: null }, async (tx) => {
    const added = await suppressInTx(tx, c.t, {
      scope: "workspace",
      workspaceId: c.w,
      kind: "address",
      value: c.e,
      reason: "unsubscribed",
      note: c.s ? `one-click from ${c.s}` : "unsubscribe link",
    });
    const [lead] = await tx
      .select({ id: leads.id })
      .from(leads)
      .where(and(eq(leads.tenantId, c.t), eq(leads.email, c.e)));
    if (lead) {
      await tx
        .update(enrollments)
        .set({ status: "unsubscribed", nextSendAt: null, updatedAt: new Date() })
        .where(and(eq(enrollments.leadId, lead.id), inArray(enrollments.status, ["active"])));
    }
    if (added)
      await tx.insert(emailEvents).values({
        id: newId("evt"),
        tenantId: c.t,
        sendId: c.s,
        campaignId: campaignOf(c.s),
        leadId: lead?.id ?? null,
        type: "unsubscribed",
        meta: { workspaceId: c.w },
      });
  });
}

/**
 * The campaign of the message the link came from, so the campaign's counts (overall and per step
 * and variant) include the unsubscribe; read inside the insert. A footer link of a test or inbox
 * reply carries no send.
 */
const campaignOf = (sendId: string | null | undefined) =>
  sendId ? sql<string>`(select campaign_id from sends where id = ${sendId})` : null;
