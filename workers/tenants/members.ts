import { and, asc, eq, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission, requireUserActor } from "../auth/permissions.ts";
import { users } from "../auth/tables.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { AppError } from "../platform/errors.ts";
import type { MemberDto } from "./schemas.ts";
import { memberships, workspaceMembers, workspaces } from "./tables.ts";

export async function listMembers(ctx: Ctx): Promise<MemberDto[]> {
  requirePermission(ctx, "members:read");
  const tenantId = ctx.tenant!.id;
  return withTx(ctx, async (tx) => {
    const rows = await tx
      .select({
        userId: memberships.userId,
        role: memberships.role,
        joinedAt: memberships.createdAt,
        name: users.name,
        email: users.email,
        lastActiveAt: sql<string | null>`(select max(s.last_seen_at)::text from sessions s where s.user_id = ${memberships.userId})`,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, tenantId))
      .orderBy(asc(memberships.createdAt));
    const ws = await tx
      .select({ userId: workspaceMembers.userId, id: workspaces.id, name: workspaces.name, role: workspaceMembers.role })
      .from(workspaceMembers)
      .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
      .where(eq(workspaceMembers.tenantId, tenantId));
    return rows.map((r) => ({
      userId: r.userId,
      name: r.name,
      email: r.email,
      role: r.role,
      joinedAt: r.joinedAt.toISOString(),
      lastActiveAt: r.lastActiveAt ? new Date(r.lastActiveAt).toISOString() : null,
      workspaces: ws.filter((w) => w.userId === r.userId).map(({ id, name, role }) => ({ id, name, role })),
    }));
  });
}

async function loadMember(tx: Parameters<Parameters<typeof withTx>[1]>[0], tenantId: string, userId: string) {
  const [m] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  if (!m) throw new AppError("NOT_FOUND", "Member not found.");
  return m;
}

/** The owner's role changes only through transferOwnership; nobody is promoted to owner here. */
export async function changeMemberRole(ctx: Ctx, userId: string, role: "admin" | "member") {
  requirePermission(ctx, "members:write");
  const tenantId = ctx.tenant!.id;
  await withTx(ctx, async (tx) => {
    const m = await loadMember(tx, tenantId, userId);
    if (m.role === "owner") throw new AppError("CONFLICT", "The owner's role cannot be changed; transfer ownership instead.");
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
    await writeAudit(tx, ctx, {
      action: "member.role_change",
      targetType: "user",
      targetId: userId,
      summary: { before: m.role, after: role },
    });
  });
  return { userId, role };
}

/** Removal revokes access only: everything the member created stays with the organization. */
export async function removeMember(ctx: Ctx, userId: string) {
  requirePermission(ctx, "members:write");
  const tenantId = ctx.tenant!.id;
  await withTx(ctx, async (tx) => {
    const m = await loadMember(tx, tenantId, userId);
    if (m.role === "owner") throw new AppError("CONFLICT", "The owner cannot be removed; transfer ownership first.");
    await tx.delete(workspaceMembers).where(and(eq(workspaceMembers.tenantId, tenantId), eq(workspaceMembers.userId, userId)));
    await tx.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
    // Sessions pointing at this tenant lose it on their next request (resolveSession checks membership).
    await writeAudit(tx, ctx, { action: "member.remove", targetType: "user", targetId: userId, summary: { role: m.role } });
  });
  return { removed: true };
}

export async function transferOwnership(ctx: Ctx, toUserId: string) {
  const actor = requireUserActor(ctx);
  if (ctx.tenant?.role !== "owner") throw new AppError("FORBIDDEN", "Only the owner can transfer ownership.");
  const tenantId = ctx.tenant.id;
  if (toUserId === actor.userId) throw new AppError("CONFLICT", "You already own this organization.");
  await withTx(ctx, async (tx) => {
    await loadMember(tx, tenantId, toUserId);
    await tx
      .update(memberships)
      .set({ role: "admin" })
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, actor.userId)));
    await tx
      .update(memberships)
      .set({ role: "owner" })
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, toUserId)));
    await writeAudit(tx, ctx, {
      action: "tenant.ownership_transfer",
      targetType: "user",
      targetId: toUserId,
      summary: { from: actor.userId },
    });
  });
  return { ownerUserId: toUserId };
}
