import { and, asc, count, eq, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { isUniqueViolation } from "../auth/sign-up.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { requireWorkspaceRole } from "./access.ts";
import type { CreateWorkspaceInput, UpdateWorkspaceInput, WorkspaceDto } from "./schemas.ts";
import { slugify } from "./slug.ts";
import { plans, tenants, workspaceMembers, workspaces } from "./tables.ts";

const memberCount = sql<number>`(select count(*)::int from workspace_members wm where wm.workspace_id = ${workspaces.id})`;
const cols = {
  id: workspaces.id,
  name: workspaces.name,
  slug: workspaces.slug,
  postalAddress: workspaces.postalAddress,
  createdAt: workspaces.createdAt,
  members: memberCount,
};
const toDto = (r: {
  id: string;
  name: string;
  slug: string;
  postalAddress: string | null;
  createdAt: Date;
  members: number;
}): WorkspaceDto => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
});

/** Owners, admins and API keys see every workspace; members see the ones they were added to. */
export async function listWorkspaces(ctx: Ctx): Promise<WorkspaceDto[]> {
  requirePermission(ctx, "workspaces:read");
  const tenantId = ctx.tenant!.id;
  const onlyMine = ctx.actor?.kind === "user" && ctx.tenant!.role === "member" ? ctx.actor.userId : null;
  const rows = await withTx(ctx, (tx) =>
    tx
      .select(cols)
      .from(workspaces)
      .where(
        and(
          eq(workspaces.tenantId, tenantId),
          onlyMine
            ? sql`exists (select 1 from workspace_members wm where wm.workspace_id = ${workspaces.id} and wm.user_id = ${onlyMine})`
            : undefined,
        ),
      )
      .orderBy(asc(workspaces.createdAt)),
  );
  return rows.map(toDto);
}

export async function getWorkspace(ctx: Ctx, workspaceId: string): Promise<WorkspaceDto> {
  requirePermission(ctx, "workspaces:read");
  return withTx(ctx, async (tx) => {
    await requireWorkspaceRole(tx, ctx, workspaceId, "viewer");
    const [row] = await tx.select(cols).from(workspaces).where(eq(workspaces.id, workspaceId));
    return toDto(row!);
  });
}

async function assertWorkspaceQuota(tx: Tx, tenantId: string) {
  const [p] = await tx
    .select({ max: plans.maxWorkspaces })
    .from(tenants)
    .innerJoin(plans, eq(plans.slug, tenants.plan))
    .where(eq(tenants.id, tenantId));
  if (p?.max == null) return;
  const [c] = await tx.select({ n: count() }).from(workspaces).where(eq(workspaces.tenantId, tenantId));
  if ((c?.n ?? 0) >= p.max) throw new AppError("PLAN_LIMIT", `Your plan allows ${p.max} workspaces. Upgrade to add more.`);
}

export async function createWorkspace(ctx: Ctx, input: CreateWorkspaceInput): Promise<WorkspaceDto> {
  requirePermission(ctx, "workspaces:write");
  if (ctx.actor?.kind === "user" && ctx.tenant!.role === "member")
    throw new AppError("FORBIDDEN", "Only owners and admins create workspaces.");
  const tenantId = ctx.tenant!.id;
  try {
    return await withTx(ctx, async (tx) => {
      await assertWorkspaceQuota(tx, tenantId);
      const id = newId("wsp");
      const slug = input.slug ?? slugify(input.name);
      await tx.insert(workspaces).values({ id, tenantId, name: input.name, slug });
      if (ctx.actor?.kind === "user")
        await tx.insert(workspaceMembers).values({ tenantId, workspaceId: id, userId: ctx.actor.userId, role: "admin" });
      await writeAudit(tx, ctx, { action: "workspace.create", targetType: "workspace", targetId: id, summary: { name: input.name, slug } });
      const [row] = await tx.select(cols).from(workspaces).where(eq(workspaces.id, id));
      return toDto(row!);
    });
  } catch (err) {
    if (isUniqueViolation(err, "workspaces_tenant_slug_uq"))
      throw new AppError("CONFLICT", "A workspace with this slug already exists; choose another.");
    throw err;
  }
}

export async function updateWorkspace(ctx: Ctx, workspaceId: string, input: UpdateWorkspaceInput): Promise<WorkspaceDto> {
  requirePermission(ctx, "workspaces:write");
  try {
    return await withTx(ctx, async (tx) => {
      await requireWorkspaceRole(tx, ctx, workspaceId, "admin");
      const [before] = await tx.select().from(workspaces).where(eq(workspaces.id, workspaceId));
      await tx.update(workspaces).set(input).where(eq(workspaces.id, workspaceId));
      await writeAudit(tx, ctx, {
        action: "workspace.update",
        targetType: "workspace",
        targetId: workspaceId,
        summary: { before: { name: before?.name, slug: before?.slug }, after: input },
      });
      const [row] = await tx.select(cols).from(workspaces).where(eq(workspaces.id, workspaceId));
      return toDto(row!);
    });
  } catch (err) {
    if (isUniqueViolation(err, "workspaces_tenant_slug_uq"))
      throw new AppError("CONFLICT", "A workspace with this slug already exists; choose another.");
    throw err;
  }
}

/** Typed confirmation (the workspace name), owners and admins only; cascades to its contents. */
export async function deleteWorkspace(ctx: Ctx, workspaceId: string, confirmName: string): Promise<{ deleted: true }> {
  requirePermission(ctx, "workspaces:write");
  if (ctx.actor?.kind === "user" && ctx.tenant!.role === "member")
    throw new AppError("FORBIDDEN", "Only owners and admins delete workspaces.");
  return withTx(ctx, async (tx) => {
    await requireWorkspaceRole(tx, ctx, workspaceId, "admin");
    const [ws] = await tx.select().from(workspaces).where(eq(workspaces.id, workspaceId));
    if (ws!.name !== confirmName) throw new AppError("BAD_REQUEST", "Type the workspace's name exactly to confirm.");
    const [c] = await tx.select({ n: count() }).from(workspaces).where(eq(workspaces.tenantId, ctx.tenant!.id));
    if ((c?.n ?? 0) <= 1) throw new AppError("CONFLICT", "An organization keeps at least one workspace.");
    await tx.delete(workspaces).where(eq(workspaces.id, workspaceId));
    await writeAudit(tx, ctx, { action: "workspace.delete", targetType: "workspace", targetId: workspaceId, summary: { name: ws!.name } });
    return { deleted: true as const };
  });
}
