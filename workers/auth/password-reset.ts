import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import { recordMail } from "../mailer/send.ts";
import { mailTemplates } from "../mailer/templates.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { issueEmailToken, redeemEmailToken, retireTokens } from "./email-tokens.ts";
import { hashPassword } from "./password.ts";
import { createSession } from "./sessions.ts";
import { emailTokens, sessions, users } from "./tables.ts";

const RESETS_PER_HOUR = 3; // SPEC §4.1: forgot-password limited to 3 requests/h

/**
 * Always answers the same way, whether or not the address has an account (no enumeration). A
 * known address gets a 1-hour link, at most 3 per hour; earlier links stop working.
 */
export async function forgotPassword(ctx: Ctx, email: string): Promise<{ accepted: true }> {
  const send = await runInTx(ctx.db, { tenantId: null }, async (tx) => {
    const [u] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(sql`lower(${users.email}) = ${email}`, isNull(users.deletedAt)));
    if (!u) return null;
    const [recent] = await tx
      .select({ n: count() })
      .from(emailTokens)
      .where(
        and(
          eq(emailTokens.userId, u.id),
          eq(emailTokens.purpose, "reset_password"),
          gt(emailTokens.createdAt, new Date(Date.now() - 3600_000)),
        ),
      );
    if ((recent?.n ?? 0) >= RESETS_PER_HOUR) return null;
    await retireTokens(tx, u.id, "reset_password");
    const token = await issueEmailToken(tx, u.id, "reset_password");
    return recordMail(
      tx,
      ctx,
      mailTemplates.resetPassword(email, `${ctx.config.APP_URL}/reset-password?token=${encodeURIComponent(token)}`),
    );
  });
  send?.();
  return { accepted: true };
}

/** Sets the new password, ends every other session, unlocks the account and signs the user in. */
export async function resetPassword(ctx: Ctx, token: string, password: string): Promise<{ token: string; userId: string }> {
  const passwordHash = await hashPassword(password);
  return runInTx(ctx.db, { tenantId: null }, async (tx) => {
    const t = await redeemEmailToken(tx, token, "reset_password");
    await tx.update(users).set({ passwordHash, failedSignIns: 0, lockedUntil: null }).where(eq(users.id, t.userId));
    await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.userId, t.userId), isNull(sessions.revokedAt)));
    await retireTokens(tx, t.userId, "reset_password");
    await tx.execute(sql`select set_config('app.user_id', ${t.userId}, true)`);
    const s = await createSession(tx, ctx, t.userId);
    return { token: s.token, userId: t.userId };
  });
}
