import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { emailTokens } from "./tables.ts";
import { newToken, sha256Hex } from "./tokens.ts";

export type TokenPurpose = (typeof emailTokens.$inferSelect)["purpose"];

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  verify_email: 24 * 3600_000, // SPEC §4.1: verification link valid 24 h
  reset_password: 3600_000, // reset link valid 1 h
  change_email: 24 * 3600_000,
};

export async function issueEmailToken(tx: Tx, userId: string, purpose: TokenPurpose, newEmail?: string): Promise<string> {
  const token = newToken();
  await tx.insert(emailTokens).values({
    id: newId("etk"),
    userId,
    purpose,
    tokenHash: await sha256Hex(token),
    newEmail: newEmail ?? null,
    expiresAt: new Date(Date.now() + TOKEN_TTL_MS[purpose]),
  });
  return token;
}

/**
 * Marks the token used and returns it, in one UPDATE … RETURNING, so two concurrent redemptions
 * cannot both succeed. Unknown, used and expired tokens all get GONE with one message.
 */
export async function redeemEmailToken(tx: Tx, token: string, purpose: TokenPurpose) {
  if (!token || token.length > 128) throw new AppError("GONE", "This link is invalid or has expired. Ask for a new one.");
  const tokenHash = await sha256Hex(token);
  const [row] = await tx
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(emailTokens.tokenHash, tokenHash),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, sql`now()`),
      ),
    )
    .returning();
  if (!row) throw new AppError("GONE", "This link is invalid or has expired. Ask for a new one.");
  return row;
}

/** Older unused tokens of the same purpose stop working when a new one is issued or one is redeemed. */
export async function retireTokens(tx: Tx, userId: string, purpose: TokenPurpose) {
  await tx
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
}
