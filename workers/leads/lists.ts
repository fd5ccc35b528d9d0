import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { isUniqueViolation } from "../auth/sign-up.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { requireWorkspaceRole } from "../tenants/access.ts";
import { addToLists, deleteLeads, visibleLeadIds } from "./service.ts";
import { leadFields, leadListMembers, leadLists, leads } from "./tables.ts";

const listCols = {
  id: leadLists.id,
  workspaceId: leadLists.workspaceId,
  name: leadLists.name,
  createdAt: leadLists.createdAt,
  leads: sql<number>`(select count(*)::int from lead_list_members m where m.list_id = ${leadLists.id})`,
};
const toListDto = (r: { id: string; workspaceId: string; name: string; createdAt: Date; leads: number }) => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
});

export async function listLists(ctx: Ctx, workspaceId?: string) {
  requirePermission(ctx, "leads:read");
  return withTx(ctx, async (tx) => {
    if (workspaceId) await requireWorkspaceRole(tx, ctx, workspaceId, "viewer");
    const rows = await tx
      .select(listCols)
      .from(leadLists)
      .where(and(eq(leadLists.tenantId, ctx.tenant!.id), workspaceId ? eq(leadLists.workspaceId, workspaceId) : undefined))
      .orderBy(asc(leadLists.name));
    return rows.map(toListDto);
  });
}

export async function createList(ctx: Ctx, input: { workspaceId: string; name: string }) {
  requirePermission(ctx, "leads:write");
  try {
    return await withTx(ctx, async (tx) => {
      await requireWorkspaceRole(tx, ctx, input.workspaceId, "member");
      const id = newId("lst");
      await tx.insert(leadLists).values({ id, tenantId: ctx.tenant!.id, workspaceId: input.workspaceId, name: input.name });
      await writeAudit(tx, ctx, { action: "lead_list.create", targetType: "lead_list", targetId: id, summary: { name: input.name } });
      const [row] = await tx.select(listCols).from(leadLists).where(eq(leadLists.id, id));
      return toListDto(row!);
    });
  } catch (err) {
    if (isUniqueViolation(err, "lead_lists_ws_name_uq"))
      throw new AppError("CONFLICT", "This workspace already has a list with that name.");
    throw err;
  }
}

export async function deleteList(ctx: Ctx, listId: string) {
  requirePermission(ctx, "leads:write");
  return withTx(ctx, async (tx) => {
    const [l] = await tx
      .select()
      .from(leadLists)
      .where(and(eq(leadLists.id, listId), eq(leadLists.tenantId, ctx.tenant!.id)));
    if (!l) throw new AppError("NOT_FOUND", "List not found.");
    await requireWorkspaceRole(tx, ctx, l.workspaceId, "member");
    await tx.delete(leadLists).where(eq(leadLists.id, listId));
    await writeAudit(tx, ctx, { action: "lead_list.delete", targetType: "lead_list", targetId: listId, summary: { name: l.name } });
    return { deleted: true as const };
  });
}

/** Bulk actions over selected leads; leads the caller cannot edit are skipped and counted. */
export async function bulkLeads(
  ctx: Ctx,
  input: { leadIds: string[]; action: "add_to_list" | "remove_from_list" | "delete"; listId?: string },
) {
  requirePermission(ctx, "leads:write");
  if (input.action === "delete") return { affected: (await deleteLeads(ctx, input.leadIds)).deleted };
  if (!input.listId) throw new AppError("BAD_REQUEST", "Choose a list.");
  return withTx(ctx, async (tx) => {
    const ids = await visibleLeadIds(tx, ctx, input.leadIds, "member");
    const [list] = await tx
      .select()
      .from(leadLists)
      .where(and(eq(leadLists.id, input.listId!), eq(leadLists.tenantId, ctx.tenant!.id)));
    if (!list) throw new AppError("NOT_FOUND", "List not found.");
    if (input.action === "add_to_list") {
      // A list belongs to one workspace: only that workspace's leads join it.
      const same = ids.length
        ? (
            await tx
              .select({ id: leads.id })
              .from(leads)
              .where(and(inArray(leads.id, ids), eq(leads.workspaceId, list.workspaceId)))
          ).map((r) => r.id)
        : [];
      await addToLists(tx, ctx, same, [list.id]);
      await writeAudit(tx, ctx, {
        action: "lead.bulk_add_to_list",
        targetType: "lead_list",
        targetId: list.id,
        summary: { count: same.length, skippedOtherWorkspace: ids.length - same.length },
      });
      return { affected: same.length };
    } else if (ids.length) {
      await tx.delete(leadListMembers).where(and(eq(leadListMembers.listId, list.id), inArray(leadListMembers.leadId, ids)));
    }
    await writeAudit(tx, ctx, {
      action: `lead.bulk_${input.action}`,
      targetType: "lead_list",
      targetId: list.id,
      summary: { count: ids.length },
    });
    return { affected: ids.length };
  });
}

export async function listFields(ctx: Ctx) {
  requirePermission(ctx, "leads:read");
  const rows = await withTx(ctx, (tx) =>
    tx.select().from(leadFields).where(eq(leadFields.tenantId, ctx.tenant!.id)).orderBy(asc(leadFields.key)),
  );
  return rows.map((r) => ({ key: r.key, label: r.label, type: r.type }));
}

export async function defineField(ctx: Ctx, input: { key: string; label: string; type: "text" | "number" | "date" | "boolean" | "url" }) {
  requirePermission(ctx, "leads:write");
  return withTx(ctx, async (tx) => {
    await tx
      .insert(leadFields)
      .values({ tenantId: ctx.tenant!.id, ...input })
      .onConflictDoUpdate({ target: [leadFields.tenantId, leadFields.key], set: { label: input.label, type: input.type } });
    await writeAudit(tx, ctx, { action: "lead_field.define", targetType: "lead_field", targetId: input.key, summary: input });
    return input;
  });
}
