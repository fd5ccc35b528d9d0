import { and, desc, eq, lt, sql } from "drizzle-orm";
import { auditLog } from "../audit/tables.ts";
import { requireUserActor } from "../auth/permissions.ts";
import { staffMembers } from "../auth/tables.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx, type Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { tenants } from "../tenants/tables.ts";

export type StaffRole = (typeof staffMembers.$inferSelect)["role"];

/** Loads the caller's staff role or refuses: staff routes are invisible to customers (404). */
export async function requireStaff(ctx: Ctx, allowed?: StaffRole[]): Promise<StaffRole> {
  const actor = requireUserActor(ctx);
  const [row] = await runInTx(ctx.db, { tenantId: null }, (tx) =>
    tx.select().from(staffMembers).where(eq(staffMembers.userId, actor.userId)),
  );
  if (!row) throw new AppError("NOT_FOUND", "Not found.");
  if (allowed && !allowed.includes(row.role)) throw new AppError("FORBIDDEN", `Staff role "${row.role}" cannot do this.`);
  return row.role;
}

/** A transaction with the staff role set, which the staff_read/staff_write policies admit across tenants. */
function withStaffTx<T>(ctx: Ctx, role: StaffRole, fn: (tx: Tx) => Promise<T>) {
  return runInTx(ctx.db, { tenantId: null, userId: ctx.actor?.userId ?? null }, async (tx) => {
    await tx.execute(sql`select set_config('app.staff_role', ${role}, true)`);
    return fn(tx);
  });
}

export async function listTenantsForStaff(ctx: Ctx, q: { limit: number; before?: string; search?: string }) {
  const role = await requireStaff(ctx);
  return withStaffTx(ctx, role, async (tx) => {
    const rows = await tx.execute<{
      id: string;
      name: string;
      status: string;
      plan: string;
      created_at: string;
      members: number;
      workspaces: number;
    }>(sql`
      select t.id, t.name, t.status, t.plan, t.created_at,
             (select count(*)::int from memberships m where m.tenant_id = t.id) as members,
             (select count(*)::int from workspaces w where w.tenant_id = t.id) as workspaces
      from tenants t
      where (${q.before ?? null}::timestamptz is null or t.created_at < ${q.before ?? null}::timestamptz)
        and (${q.search ?? null}::text is null or t.name ilike '%' || ${q.search ?? null}::text || '%')
      order by t.created_at desc limit ${q.limit}`);
    return rows.rows.map((r) => ({ ...r, createdAt: new Date(r.created_at).toISOString(), created_at: undefined }));
  });
}

/** Suspend/unsuspend: admins only; recorded in the tenant's own audit trail as a staff action. */
export async function setTenantStatus(ctx: Ctx, tenantId: string, status: "active" | "suspended", reason: string) {
  const role = await requireStaff(ctx, ["super_admin", "admin"]);
  return withStaffTx(ctx, role, async (tx) => {
    const [row] = await tx.update(tenants).set({ status, updatedAt: new Date() }).where(eq(tenants.id, tenantId)).returning();
    if (!row) throw new AppError("NOT_FOUND", "Tenant not found.");
    // The audit row belongs to that tenant, so write it with the tenant set (its insert policy).
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
    await tx.insert(auditLog).values({
      id: newId("aud"),
      tenantId,
      actorUserId: ctx.actor?.userId ?? null,
      actorKind: "staff",
      action: status === "suspended" ? "tenant.suspend" : "tenant.unsuspend",
      targetType: "tenant",
      targetId: tenantId,
      summary: { reason, staffRole: role },
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      requestId: ctx.requestId,
    });
    return { id: row.id, status: row.status };
  });
}

/** Audit trail of one tenant; support sees it without IPs and user agents (no PII). */
export async function staffAuditTrail(ctx: Ctx, tenantId: string, q: { limit: number; before?: string }) {
  const role = await requireStaff(ctx);
  const rows = await withStaffTx(ctx, role, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), q.before ? lt(auditLog.createdAt, new Date(q.before)) : undefined))
      .orderBy(desc(auditLog.createdAt))
      .limit(q.limit),
  );
  const pii = role !== "support";
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    actorKind: r.actorKind,
    actorUserId: r.actorUserId,
    targetType: r.targetType,
    targetId: r.targetId,
    summary: pii ? r.summary : null,
    ip: pii ? r.ip : null,
    userAgent: pii ? r.userAgent : null,
    requestId: r.requestId,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Bootstrap (scripts/staff-grant.ts): grants a platform role to an existing user. */
export async function grantStaffRole(ctx: Ctx, email: string, role: StaffRole) {
  return runInTx(ctx.db, { tenantId: null }, async (tx) => {
    const found = await tx.execute<{ id: string }>(
      sql`select id from users where lower(email) = ${email.toLowerCase()} and deleted_at is null`,
    );
    const userId = found.rows[0]?.id;
    if (!userId) throw new AppError("NOT_FOUND", `No user with e-mail ${email}. Sign up first.`);
    await tx.insert(staffMembers).values({ userId, role }).onConflictDoUpdate({ target: staffMembers.userId, set: { role } });
    return { userId, role };
  });
}
