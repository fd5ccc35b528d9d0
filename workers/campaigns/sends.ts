import { and, eq, inArray } from "drizzle-orm";
import { campaignClock } from "../../durable-objects/stubs.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { AppError } from "../platform/errors.ts";
import { loadCampaign } from "./service.ts";
import { enrollments, sends } from "./tables.ts";

/**
 * Sends that need a person: `failed` (retries exhausted, dead-lettered) and `unknown` (the server may
 * have accepted it — never resent automatically). Retrying puts the send back to planning: for an
 * `unknown` one that is the user's explicit choice to risk a duplicate.
 */
export async function retrySend(ctx: Ctx, env: Env, campaignId: string, sendId: string) {
  requirePermission(ctx, "campaigns:write");
  await withTx(ctx, async (tx) => {
    const c = await loadCampaign(tx, ctx, campaignId, "member");
    const [s] = await tx
      .select()
      .from(sends)
      .where(and(eq(sends.id, sendId), eq(sends.campaignId, c.id)));
    if (!s) throw new AppError("NOT_FOUND", "Send not found.");
    if (!["failed", "unknown"].includes(s.status))
      throw new AppError("CONFLICT", `Only failed or unknown sends can be retried (this one is ${s.status}).`);
    await tx
      .update(sends)
      .set({ status: "requeue", mailboxId: null, error: `retried by a user after ${s.status}`, updatedAt: new Date() })
      .where(eq(sends.id, sendId));
    await tx
      .update(enrollments)
      .set({ status: "active", nextSendAt: new Date(), updatedAt: new Date() })
      .where(and(eq(enrollments.id, s.enrollmentId), inArray(enrollments.status, ["active", "failed"])));
    await writeAudit(tx, ctx, { action: "send.retry", targetType: "send", targetId: sendId, summary: { previous: s.status } });
  });
  await campaignClock(env, campaignId).schedule(ctx.tenant!.id, campaignId, Date.now());
  return { retried: true as const };
}
