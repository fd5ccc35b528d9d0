import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Actor, Ctx, TenantScope } from "../platform/context.ts";
import { runInTx, type Tx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { memberships, tenants } from "../tenants/tables.ts";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_CEILING_MS, SESSION_IDLE_MS, SESSION_TOUCH_EVERY_MS } from "./constants.ts";
import { sessions, users } from "./tables.ts";
import { newToken, sha256Hex } from "./tokens.ts";

/** Creates a session row for userId inside tx; the raw token is returned once, only its hash is kept. */
export async function createSession(tx: Tx, ctx: Ctx, userId: string, preferredTenantId?: string | null) {
  const token = newToken();
  const [first] = preferredTenantId
    ? [{ tenantId: preferredTenantId }]
    : await tx
        .select({ tenantId: memberships.tenantId })
        .from(memberships)
        .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
        .where(and(eq(memberships.userId, userId), eq(tenants.status, "active")))
        .orderBy(asc(memberships.createdAt))
        .limit(1);
  const activeTenantId = first?.tenantId ?? null;
  await tx.insert(sessions).values({
    id: newId("ses"),
    tokenHash: await sha256Hex(token),
    userId,
    activeTenantId,
    ip: ctx.ip,
    userAgent: ctx.userAgent?.slice(0, 512) ?? null,
    expiresAt: new Date(Date.now() + SESSION_ABSOLUTE_MS),
  });
  return { token, activeTenantId };
}

export interface ResolvedSession {
  actor: Extract<Actor, { kind: "user" }>;
  tenant: TenantScope | null;
}

/** Session token → actor and active tenant, or null when unknown, revoked, idle or expired. */
export async function resolveSession(ctx: Ctx, token: string): Promise<ResolvedSession | null> {
  if (!token || token.length > 128) return null;
  const tokenHash = await sha256Hex(token);
  const now = new Date();
  const row = await runInTx(ctx.db, { tenantId: null }, async (tx) => {
    const [r] = await tx
      .select({ session: sessions, user: { id: users.id, email: users.email, name: users.name, emailVerifiedAt: users.emailVerifiedAt } })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), isNull(users.deletedAt)))
      .limit(1);
    return r;
  });
  if (!row) return null;
  // Platform ceiling first; the active tenant's (stricter or equal) policy is applied below.
  if (now.getTime() - row.session.lastSeenAt.getTime() > SESSION_IDLE_CEILING_MS) return null;

  const actor: ResolvedSession["actor"] = {
    kind: "user",
    userId: row.user.id,
    sessionId: row.session.id,
    email: row.user.email,
    name: row.user.name,
    emailVerified: row.user.emailVerifiedAt !== null,
  };
  const tenantId = row.session.activeTenantId;
  const tenant = tenantId
    ? await runInTx(ctx.db, { tenantId, userId: actor.userId }, async (tx) => {
        const [m] = await tx
          .select({
            role: memberships.role,
            name: tenants.name,
            status: tenants.status,
            idle: tenants.sessionIdleMinutes,
            maxDays: tenants.sessionMaxDays,
          })
          .from(memberships)
          .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
          .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, actor.userId)))
          .limit(1);
        if (now.getTime() - row.session.lastSeenAt.getTime() > SESSION_TOUCH_EVERY_MS) {
          await tx.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.session.id));
        }
        if (m?.status !== "active") return null;
        const idle = now.getTime() - row.session.lastSeenAt.getTime() > m.idle * 60_000;
        const old = now.getTime() - row.session.createdAt.getTime() > m.maxDays * 86_400_000;
        return idle || old ? ("expired" as const) : { id: tenantId, name: m.name, role: m.role };
      })
    : null;
  if (tenant === "expired") return null;
  if (!tenant && now.getTime() - row.session.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
  return { actor, tenant };
}

export async function revokeSession(ctx: Ctx, token: string): Promise<void> {
  const tokenHash = await sha256Hex(token);
  await runInTx(ctx.db, { tenantId: null }, (tx) =>
    tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt))),
  );
}
