import { and, eq } from "drizzle-orm";
import type { Ctx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { workspaceMembers, workspaces } from "./tables.ts";

export type WorkspaceRole = "admin" | "member" | "viewer";
const RANK: Record<WorkspaceRole, number> = { viewer: 1, member: 2, admin: 3 };

/**
 * The caller's effective role in a workspace: tenant owners/admins and API keys act as workspace
 * admins everywhere; members only where they were added. A workspace the caller cannot see is
 * NOT_FOUND (not FORBIDDEN), so ids of other people's workspaces reveal nothing.
 */
export async function workspaceRole(tx: Tx, ctx: Ctx, workspaceId: string): Promise<WorkspaceRole> {
  const tenant = ctx.tenant;
  if (!tenant) throw new AppError("FORBIDDEN", "No active organization.");
  const [ws] = await tx
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(and(eq(workspaces.id, workspaceId), eq(workspaces.tenantId, tenant.id)));
  if (!ws) throw new AppError("NOT_FOUND", "Workspace not found.");
  if (ctx.actor?.kind !== "user" || tenant.role !== "member") return "admin";
  const [m] = await tx
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, ctx.actor.userId)));
  if (!m) throw new AppError("NOT_FOUND", "Workspace not found.");
  return m.role;
}

export async function requireWorkspaceRole(tx: Tx, ctx: Ctx, workspaceId: string, min: WorkspaceRole): Promise<WorkspaceRole> {
  const role = await workspaceRole(tx, ctx, workspaceId);
  if (RANK[role] < RANK[min]) throw new AppError("FORBIDDEN", `This needs the workspace role "${min}" or higher.`);
  return role;
}
