import { and, eq, inArray } from "drizzle-orm";
import { emailEvents, enrollments } from "../campaigns/tables.ts";
import { leads } from "../leads/tables.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { suppressInTx } from "../suppression/service.ts";
import type { UnsubscribeClaims } from "./unsubscribe-token.ts";

/**
 * Honours an unsubscribe (RFC 8058 one-click POST or the footer page): the address is suppressed for
 * the sending workspace at once, the lead's waiting enrolments stop, an event is recorded.
 * Idempotent: a repeated request changes nothing and answers the same.
 */
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
        leadId: lead?.id ?? null,
        type: "unsubscribed",
        meta: { workspaceId: c.w },
      });
  });
}
