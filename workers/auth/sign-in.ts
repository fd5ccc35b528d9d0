import { eq, sql } from "drizzle-orm";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { LOCKOUT_AFTER_FAILURES, LOCKOUT_MS } from "./constants.ts";
import { dummyHash, hashPassword, needsRehash, verifyPassword } from "./password.ts";
import type { SignInInput } from "./schemas.ts";
import { createSession } from "./sessions.ts";
import { users } from "./tables.ts";

const INVALID = "E-mail or password is incorrect.";

export interface SignInResult {
  token: string;
  userId: string;
  activeTenantId: string | null;
}

/**
 * Password sign-in with lockout: 5 failures lock the account for 15 minutes. Unknown e-mails cost
 * the same argon2 work as known ones and get the same message, so neither reveals an account.
 */
export async function signIn(ctx: Ctx, input: SignInInput): Promise<SignInResult> {
  const user = await runInTx(ctx.db, { tenantId: null }, async (tx) => {
    const [row] = await tx.select().from(users).where(sql`lower(${users.email}) = ${input.email} and ${users.deletedAt} is null`).limit(1);
    return row;
  });
  if (!user) {
    await verifyPassword(input.password, await dummyHash());
    throw new AppError("UNAUTHENTICATED", INVALID);
  }
  const now = new Date();
  if (user.lockedUntil && user.lockedUntil > now) {
    const seconds = Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000);
    throw new AppError("RATE_LIMITED", "Too many failed sign-ins. Try again later or reset your password.", {
      retryAfterSeconds: seconds,
    });
  }
  const ok = await verifyPassword(input.password, user.passwordHash);
  if (!ok) {
    await recordFailure(ctx, user.id, now);
    throw new AppError("UNAUTHENTICATED", INVALID);
  }
  const rehash = needsRehash(user.passwordHash) ? await hashPassword(input.password) : null;
  return runInTx(ctx.db, { tenantId: null, userId: user.id }, async (tx) => {
    await tx
      .update(users)
      .set({ failedSignIns: 0, lockedUntil: null, ...(rehash ? { passwordHash: rehash } : {}) })
      .where(eq(users.id, user.id));
    const { token, activeTenantId } = await createSession(tx, ctx, user.id);
    return { token, userId: user.id, activeTenantId };
  });
}

async function recordFailure(ctx: Ctx, userId: string, now: Date) {
  // One statement, so concurrent failures cannot both read 4 and both write 5.
  await runInTx(ctx.db, { tenantId: null }, (tx) =>
    tx.execute(sql`
      update users set
        failed_sign_ins = case when failed_sign_ins + 1 >= ${LOCKOUT_AFTER_FAILURES} then 0 else failed_sign_ins + 1 end,
        locked_until = case when failed_sign_ins + 1 >= ${LOCKOUT_AFTER_FAILURES}
          then ${new Date(now.getTime() + LOCKOUT_MS).toISOString()}::timestamptz else locked_until end
      where id = ${userId}`),
  );
}
