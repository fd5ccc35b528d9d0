import { and, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { emailTokens, sessions, users } from "./tables.ts";

/** How long a deleted account can still be recovered (SPEC §4.1). */
export const RECOVERY_DAYS = 30;

/**
 * Ends the recovery window of deleted accounts: the person's data is erased (GDPR art. 17) by
 * replacing name, address and password on the row — the row itself stays, so memberships, audit
 * entries and other references keep pointing at "a deleted user" instead of breaking. Sessions and
 * e-mail tokens go. Run daily by the cron trigger; safe to run again (already-erased rows are skipped).
 */
export async function purgeDeletedAccounts(ctx: Ctx, now = new Date()): Promise<{ erased: number }> {
  const cutoff = new Date(now.getTime() - RECOVERY_DAYS * 86_400_000);
  return runInTx(ctx.db, { tenantId: null }, async (tx) => {
    const due = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(isNotNull(users.deletedAt), lt(users.deletedAt, cutoff), sql`${users.email} not like '%@erased.invalid'`));
    const ids = due.map((u) => u.id);
    if (!ids.length) return { erased: 0 };
    await tx
      .update(users)
      .set({
        email: sql`${users.id} || '@erased.invalid'`,
        name: "Deleted user",
        // Not a valid PHC string: no password can ever match it.
        passwordHash: "!erased",
        emailVerifiedAt: null,
      })
      .where(inArray(users.id, ids));
    await tx.delete(sessions).where(inArray(sessions.userId, ids));
    await tx.delete(emailTokens).where(inArray(emailTokens.userId, ids));
    ctx.log.info("accounts.erased", { count: ids.length });
    return { erased: ids.length };
  });
}
