import { asc, eq, sql } from "drizzle-orm";
import { type Ctx, requireTenant, withTx } from "../platform/context.ts";
import { memberships, workspaceMembers, workspaces } from "./tables.ts";

export interface WorkspaceSummary {
  id: string;
  name: string;
  slug: string;
  members: number;
  createdAt: string;
}

/** The active tenant's workspaces; RLS and the explicit filter both scope it to ctx.tenant. */
export async function listWorkspaces(ctx: Ctx): Promise<WorkspaceSummary[]> {
  const tenant = requireTenant(ctx);
  return withTx(ctx, async (tx) => {
    const rows = await tx
      .select({
        id: workspaces.id,
        name: workspaces.name,
        slug: workspaces.slug,
        createdAt: workspaces.createdAt,
        members: sql<number>`(select count(*)::int from ${workspaceMembers} wm where wm.workspace_id = ${workspaces.id})`,
      })
      .from(workspaces)
      .where(eq(workspaces.tenantId, tenant.id))
      .orderBy(asc(workspaces.createdAt));
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  });
}

export type MyTenant = {
  id: string;
  name: string;
  role: string;
};

/** Every tenant the acting user belongs to (for the switcher); visible through the own-membership policy. */
export async function listMyTenants(ctx: Ctx): Promise<MyTenant[]> {
  const userId = ctx.actor?.userId;
  if (!userId) return [];
  return withTx(ctx, (tx) =>
    tx.execute<MyTenant>(sql`
      select t.id, t.name, m.role from ${memberships} m join tenants t on t.id = m.tenant_id
      where m.user_id = ${userId} order by t.name`),
  ).then((r) => r.rows);
}
