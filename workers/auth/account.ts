import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { recordMail } from "../mailer/send.ts";
import { mailTemplates } from "../mailer/templates.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { memberships } from "../tenants/tables.ts";
import { issueEmailToken, redeemEmailToken, retireTokens } from "./email-tokens.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { requireUserActor } from "./permissions.ts";
import { createSession } from "./sessions.ts";
import { isUniqueViolation } from "./sign-up.ts";
import { sessions, users } from "./tables.ts";

async function loadSelf(ctx: Ctx) {
  const actor = requireUserActor(ctx);
  const [u] = await runInTx(ctx.db, { tenantId: null }, (tx) => tx.select().from(users).where(eq(users.id, actor.userId)));
  if (!u) throw new AppError("NOT_FOUND", "Account not found.");
  return { actor, user: u };
}

async function requirePassword(password: string, hash: string) {
  if (!(await verifyPassword(password, hash))) throw new AppError("FORBIDDEN", "Your current password is incorrect.");
}

export async function updateProfile(ctx: Ctx, input: { name: string }) {
  const { user } = await loadSelf(ctx);
  await runInTx(ctx.db, { tenantId: null }, (tx) => tx.update(users).set({ name: input.name }).where(eq(users.id, user.id)));
  return { name: input.name };
}

/** Re-authenticated; ends every other session and rotates this one (a privilege change). */
export async function changePassword(ctx: Ctx, input: { currentPassword: string; newPassword: string }) {
  const { actor, user } = await loadSelf(ctx);
  await requirePassword(input.currentPassword, user.passwordHash);
  const passwordHash = await hashPassword(input.newPassword);
  return runInTx(ctx.db, { tenantId: ctx.tenant?.id ?? null, userId: actor.userId }, async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)));
    const s = await createSession(tx, ctx, user.id, ctx.tenant?.id);
    if (ctx.tenant) await writeAudit(tx, ctx, { action: "user.password_change", targetType: "user", targetId: user.id });
    return { token: s.token };
  });
}

/** Sends a confirmation link to the new address; the sign-in address changes only when it is used. */
export async function requestEmailChange(ctx: Ctx, input: { password: string; newEmail: string }) {
  const { user } = await loadSelf(ctx);
  await requirePassword(input.password, user.passwordHash);
  if (input.newEmail === user.email.toLowerCase()) throw new AppError("CONFLICT", "That is already your e-mail address.");
  const send = await runInTx(ctx.db, { tenantId: null }, async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${input.newEmail}`);
    if (taken) throw new AppError("CONFLICT", "Another account already uses that e-mail address.");
    await retireTokens(tx, user.id, "change_email");
    const token = await issueEmailToken(tx, user.id, "change_email", input.newEmail);
    return recordMail(
      tx,
      ctx,
      mailTemplates.changeEmail(input.newEmail, `${ctx.config.APP_URL}/confirm-email?token=${encodeURIComponent(token)}`),
    );
  });
  send();
  return { pendingEmail: input.newEmail };
}

export async function confirmEmailChange(ctx: Ctx, token: string) {
  try {
    return await runInTx(ctx.db, { tenantId: null }, async (tx) => {
      const t = await redeemEmailToken(tx, token, "change_email");
      await tx.update(users).set({ email: t.newEmail!, emailVerifiedAt: sql`now()` }).where(eq(users.id, t.userId));
      return { userId: t.userId, email: t.newEmail! };
    });
  } catch (err) {
    if (isUniqueViolation(err, "users_email_uq")) throw new AppError("CONFLICT", "Another account took that address meanwhile.");
    throw err;
  }
}

/**
 * Soft delete (30-day recovery window, SPEC §4.1): typed confirmation + password, access ends at
 * once. An owner of an organization with other members must transfer ownership first.
 */
export async function deleteAccount(ctx: Ctx, input: { confirm: string; password: string }) {
  if (input.confirm !== "DELETE") throw new AppError("BAD_REQUEST", 'Type "DELETE" to confirm.');
  const { user } = await loadSelf(ctx);
  await requirePassword(input.password, user.passwordHash);
  const send = await runInTx(ctx.db, { tenantId: null, userId: user.id }, async (tx) => {
    const owned = await tx.execute<{ tenant_id: string; others: number }>(sql`
      select m.tenant_id, (select count(*)::int from memberships o where o.tenant_id = m.tenant_id and o.user_id <> m.user_id) as others
      from memberships m where m.user_id = ${user.id} and m.role = 'owner'`);
    if (owned.rows.some((r) => r.others > 0)) {
      throw new AppError("CONFLICT", "You own an organization with other members. Transfer ownership before deleting your account.");
    }
    await tx.update(users).set({ deletedAt: sql`now()` }).where(eq(users.id, user.id));
    await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)));
    return recordMail(tx, ctx, mailTemplates.accountDeleted(user.email));
  });
  send();
  return { deleted: true, recoverableUntil: new Date(Date.now() + 30 * 86_400_000).toISOString() };
}

export async function listMySessions(ctx: Ctx) {
  const actor = requireUserActor(ctx);
  const rows = await runInTx(ctx.db, { tenantId: null }, (tx) =>
    tx
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, actor.userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
      .orderBy(desc(sessions.lastSeenAt)),
  );
  return rows.map((s) => ({
    id: s.id,
    current: s.id === actor.sessionId,
    ip: s.ip,
    userAgent: s.userAgent,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
  }));
}

export async function revokeMySession(ctx: Ctx, sessionId: string) {
  const actor = requireUserActor(ctx);
  const [row] = await runInTx(ctx.db, { tenantId: null }, (tx) =>
    tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, actor.userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id }),
  );
  if (!row) throw new AppError("NOT_FOUND", "Session not found.");
  return { revoked: true };
}

/** One active tenant per session; switching rotates the session token (a privilege change). */
export async function switchTenant(ctx: Ctx, tenantId: string) {
  const actor = requireUserActor(ctx);
  return runInTx(ctx.db, { tenantId: null, userId: actor.userId }, async (tx) => {
    const [m] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, actor.userId)));
    if (!m) throw new AppError("NOT_FOUND", "Organization not found.");
    await tx.update(sessions).set({ revokedAt: sql`now()` }).where(eq(sessions.id, actor.sessionId));
    const s = await createSession(tx, ctx, actor.userId, tenantId);
    return { token: s.token, tenantId };
  });
}
