import { and, count, eq, gt, sql } from "drizzle-orm";
import { recordMail } from "../mailer/send.ts";
import { mailTemplates } from "../mailer/templates.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx, type Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { issueEmailToken, redeemEmailToken, retireTokens } from "./email-tokens.ts";
import { requireUserActor } from "./permissions.ts";
import { emailTokens, users } from "./tables.ts";

/** Issues a verification link in tx and returns the post-commit mail trigger. */
export async function queueVerification(tx: Tx, ctx: Ctx, user: { id: string; email: string; name: string }) {
  await retireTokens(tx, user.id, "verify_email");
  const token = await issueEmailToken(tx, user.id, "verify_email");
  return recordMail(
    tx,
    ctx,
    mailTemplates.verifyEmail(user.email, user.name, `${ctx.config.APP_URL}/verify-email?token=${encodeURIComponent(token)}`),
  );
}

export async function verifyEmail(ctx: Ctx, token: string): Promise<{ userId: string }> {
  return runInTx(ctx.db, { tenantId: null }, async (tx) => {
    const t = await redeemEmailToken(tx, token, "verify_email");
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, t.userId));
    return { userId: t.userId };
  });
}

/** At most 5 verification mails per user per hour, so the button cannot be used to spam. */
export async function resendVerification(ctx: Ctx): Promise<{ sent: boolean }> {
  const actor = requireUserActor(ctx);
  const send = await runInTx(ctx.db, { tenantId: null }, async (tx) => {
    const [u] = await tx.select().from(users).where(eq(users.id, actor.userId));
    if (!u) throw new AppError("NOT_FOUND", "Account not found.");
    if (u.emailVerifiedAt) throw new AppError("CONFLICT", "Your e-mail address is already verified.");
    const [recent] = await tx
      .select({ n: count() })
      .from(emailTokens)
      .where(
        and(
          eq(emailTokens.userId, u.id),
          eq(emailTokens.purpose, "verify_email"),
          gt(emailTokens.createdAt, new Date(Date.now() - 3600_000)),
        ),
      );
    if ((recent?.n ?? 0) >= 5)
      throw new AppError("RATE_LIMITED", "Too many verification e-mails; try again in an hour.", { retryAfterSeconds: 3600 });
    return queueVerification(tx, ctx, u);
  });
  send();
  return { sent: true };
}
