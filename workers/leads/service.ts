import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { isUniqueViolation } from "../auth/sign-up.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { afterCursor, cursorTs, encodeCursor } from "../platform/cursor.ts";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { requireWorkspaceRole } from "../tenants/access.ts";
import { coerceAttributes, type FieldType } from "./attributes.ts";
import { normalizeEmail } from "./email.ts";
import type { CreateLeadInput, LeadDto, ListLeadsQuery, UpdateLeadInput } from "./schemas.ts";
import { leadFields, leadListMembers, leadLists, leads } from "./tables.ts";

type LeadRow = typeof leads.$inferSelect;

export const toLeadDto = (r: LeadRow, listIds: string[] = []): LeadDto => ({
  id: r.id,
  workspaceId: r.workspaceId,
  email: r.email,
  firstName: r.firstName,
  lastName: r.lastName,
  company: r.company,
  title: r.title,
  phone: r.phone,
  website: r.website,
  city: r.city,
  country: r.country,
  timezone: r.timezone,
  attributes: r.attributes,
  status: r.status,
  source: r.source,
  consentBasis: r.consentBasis,
  consentSource: r.consentSource,
  consentCollectedAt: r.consentCollectedAt?.toISOString() ?? null,
  listIds,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export async function fieldDefs(tx: Tx, tenantId: string): Promise<Map<string, FieldType>> {
  const rows = await tx.select({ key: leadFields.key, type: leadFields.type }).from(leadFields).where(eq(leadFields.tenantId, tenantId));
  return new Map(rows.map((r) => [r.key, r.type]));
}

function requireEmail(raw: string) {
  const n = normalizeEmail(raw);
  if (!n)
    throw new AppError("BAD_REQUEST", "Enter a valid e-mail address.", { issues: [{ path: "email", message: "Invalid e-mail address" }] });
  return n;
}

/** Lead → its workspace, visible to the caller; NOT_FOUND otherwise (other tenants and hidden workspaces alike). */
async function loadLead(tx: Tx, ctx: Ctx, leadId: string, min: "viewer" | "member"): Promise<LeadRow> {
  const [row] = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.tenantId, ctx.tenant!.id)));
  if (!row) throw new AppError("NOT_FOUND", "Lead not found.");
  try {
    await requireWorkspaceRole(tx, ctx, row.workspaceId, min);
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") throw new AppError("NOT_FOUND", "Lead not found.");
    throw err;
  }
  return row;
}

async function listIdsOf(tx: Tx, leadIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!leadIds.length) return out;
  const rows = await tx
    .select({ leadId: leadListMembers.leadId, listId: leadListMembers.listId })
    .from(leadListMembers)
    .where(inArray(leadListMembers.leadId, leadIds));
  for (const r of rows) out.set(r.leadId, [...(out.get(r.leadId) ?? []), r.listId]);
  return out;
}

export async function createLead(ctx: Ctx, input: CreateLeadInput): Promise<LeadDto> {
  requirePermission(ctx, "leads:write");
  const tenantId = ctx.tenant!.id;
  const { email, domain } = requireEmail(input.email);
  try {
    return await withTx(ctx, async (tx) => {
      await requireWorkspaceRole(tx, ctx, input.workspaceId, "member");
      const attributes = input.attributes ? coerceAttributes(await fieldDefs(tx, tenantId), input.attributes) : {};
      const { listIds, consentCollectedAt, workspaceId, email: _e, attributes: _a, ...fields } = input;
      const [row] = await tx
        .insert(leads)
        .values({
          ...fields,
          id: newId("led"),
          tenantId,
          workspaceId,
          email,
          emailDomain: domain,
          attributes,
          consentCollectedAt: consentCollectedAt ? new Date(consentCollectedAt) : null,
          source: fields.source ?? (ctx.actor?.kind === "api_key" ? "api" : "manual"),
        })
        .returning();
      if (listIds?.length) await addToLists(tx, ctx, [row!.id], listIds, workspaceId);
      await writeAudit(tx, ctx, { action: "lead.create", targetType: "lead", targetId: row!.id });
      return toLeadDto(row!, listIds ?? []);
    });
  } catch (err) {
    if (isUniqueViolation(err, "leads_tenant_email_uq"))
      throw new AppError("CONFLICT", "A lead with this e-mail already exists in your organization.");
    throw err;
  }
}

export async function getLead(ctx: Ctx, leadId: string): Promise<LeadDto> {
  requirePermission(ctx, "leads:read");
  return withTx(ctx, async (tx) => {
    const row = await loadLead(tx, ctx, leadId, "viewer");
    return toLeadDto(row, (await listIdsOf(tx, [row.id])).get(row.id) ?? []);
  });
}

export async function updateLead(ctx: Ctx, leadId: string, input: UpdateLeadInput): Promise<LeadDto> {
  requirePermission(ctx, "leads:write");
  const tenantId = ctx.tenant!.id;
  try {
    return await withTx(ctx, async (tx) => {
      const before = await loadLead(tx, ctx, leadId, "member");
      const { email: rawEmail, attributes: rawAttrs, consentCollectedAt, ...fields } = input;
      const patch: Partial<typeof leads.$inferInsert> = { ...fields, updatedAt: new Date() };
      if (rawEmail !== undefined) {
        const n = requireEmail(rawEmail);
        patch.email = n.email;
        patch.emailDomain = n.domain;
      }
      if (rawAttrs) patch.attributes = { ...before.attributes, ...coerceAttributes(await fieldDefs(tx, tenantId), rawAttrs) };
      if (consentCollectedAt !== undefined) patch.consentCollectedAt = consentCollectedAt ? new Date(consentCollectedAt) : null;
      const [row] = await tx.update(leads).set(patch).where(eq(leads.id, leadId)).returning();
      const changed = Object.keys(input).filter((k) => k !== "attributes");
      await writeAudit(tx, ctx, { action: "lead.update", targetType: "lead", targetId: leadId, summary: { fields: changed } });
      return toLeadDto(row!, (await listIdsOf(tx, [leadId])).get(leadId) ?? []);
    });
  } catch (err) {
    if (isUniqueViolation(err, "leads_tenant_email_uq")) throw new AppError("CONFLICT", "Another lead already has this e-mail.");
    throw err;
  }
}

export async function deleteLeads(ctx: Ctx, leadIds: string[]): Promise<{ deleted: number }> {
  requirePermission(ctx, "leads:write");
  return withTx(ctx, async (tx) => {
    const visible = await visibleLeadIds(tx, ctx, leadIds, "member");
    if (visible.length === 0) return { deleted: 0 };
    await tx.delete(leads).where(and(eq(leads.tenantId, ctx.tenant!.id), inArray(leads.id, visible)));
    await writeAudit(tx, ctx, {
      action: "lead.delete",
      targetType: "lead",
      targetId: visible.length === 1 ? visible[0] : undefined,
      summary: { count: visible.length },
    });
    return { deleted: visible.length };
  });
}

/** Of these ids, the ones in workspaces where the caller has at least `min`. */
export async function visibleLeadIds(tx: Tx, ctx: Ctx, leadIds: string[], min: "viewer" | "member"): Promise<string[]> {
  const rows = await tx
    .select({ id: leads.id, workspaceId: leads.workspaceId })
    .from(leads)
    .where(and(eq(leads.tenantId, ctx.tenant!.id), inArray(leads.id, leadIds)));
  const allowed = new Map<string, boolean>();
  const out: string[] = [];
  for (const r of rows) {
    if (!allowed.has(r.workspaceId)) {
      allowed.set(
        r.workspaceId,
        await requireWorkspaceRole(tx, ctx, r.workspaceId, min).then(
          () => true,
          () => false,
        ),
      );
    }
    if (allowed.get(r.workspaceId)) out.push(r.id);
  }
  return out;
}

export async function addToLists(tx: Tx, ctx: Ctx, leadIds: string[], listIds: string[], workspaceId?: string) {
  const lists = await tx
    .select()
    .from(leadLists)
    .where(and(eq(leadLists.tenantId, ctx.tenant!.id), inArray(leadLists.id, listIds)));
  if (lists.length !== new Set(listIds).size) throw new AppError("NOT_FOUND", "List not found.");
  if (workspaceId && lists.some((l) => l.workspaceId !== workspaceId))
    throw new AppError("BAD_REQUEST", "A lead can only join lists of its own workspace.");
  for (const l of lists) {
    await tx
      .insert(leadListMembers)
      .values(leadIds.map((leadId) => ({ tenantId: ctx.tenant!.id, listId: l.id, leadId })))
      .onConflictDoNothing();
  }
}

/**
 * Cursor-paginated search. The cursor is the last row's `createdAt|id`, matching the
 * (tenant, workspace, created_at desc, id desc) index, so page 1,000 costs what page 1 does.
 */
export async function listLeads(ctx: Ctx, q: ListLeadsQuery): Promise<{ items: LeadDto[]; nextCursor: string | null }> {
  requirePermission(ctx, "leads:read");
  const tenantId = ctx.tenant!.id;
  return withTx(ctx, async (tx) => {
    if (q.workspaceId) await requireWorkspaceRole(tx, ctx, q.workspaceId, "viewer");
    const onlyMine = !q.workspaceId && ctx.actor?.kind === "user" && ctx.tenant!.role === "member" ? ctx.actor.userId : null;
    const like = q.q ? `%${q.q.toLowerCase().replace(/[%_\\]/g, "\\$&")}%` : null;
    const [attrKey, ...attrRest] = q.attribute ? q.attribute.split("=") : [];
    const rows = await tx
      .select({ lead: leads, ts: cursorTs(leads.createdAt) })
      .from(leads)
      .where(
        and(
          eq(leads.tenantId, tenantId),
          q.workspaceId ? eq(leads.workspaceId, q.workspaceId) : undefined,
          onlyMine
            ? sql`exists (select 1 from workspace_members wm where wm.workspace_id = ${leads.workspaceId} and wm.user_id = ${onlyMine})`
            : undefined,
          q.status ? eq(leads.status, q.status) : undefined,
          q.listId ? sql`exists (select 1 from lead_list_members m where m.lead_id = ${leads.id} and m.list_id = ${q.listId})` : undefined,
          attrKey ? sql`${leads.attributes} ->> ${attrKey} = ${attrRest.join("=")}` : undefined,
          like
            ? sql`(${leads.email} like ${like} or lower(coalesce(${leads.firstName}, '') || ' ' || coalesce(${leads.lastName}, '')) like ${like} or lower(coalesce(${leads.company}, '')) like ${like})`
            : undefined,
          afterCursor(leads.createdAt, leads.id, q.cursor),
        ),
      )
      .orderBy(desc(leads.createdAt), desc(leads.id))
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    const lists = await listIdsOf(
      tx,
      page.map((r) => r.lead.id),
    );
    const last = page.at(-1);
    return {
      items: page.map((r) => toLeadDto(r.lead, lists.get(r.lead.id) ?? [])),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.ts, last.lead.id) : null,
    };
  });
}
