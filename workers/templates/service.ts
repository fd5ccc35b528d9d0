import { and, asc, desc, eq, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { isUniqueViolation } from "../auth/sign-up.ts";
import { fieldDefs } from "../leads/service.ts";
import { leads } from "../leads/tables.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { requireWorkspaceRole } from "../tenants/access.ts";
import { workspaces } from "../tenants/tables.ts";
import type { PreviewInput, SaveTemplateInput, TemplateDto, UpdateTemplateInput } from "./api-schemas.ts";
import { withComplianceFooter } from "./footer.ts";
import { renderMessage } from "./render.ts";
import type { LeadLike, TemplateIssue } from "./schemas.ts";
import { templates } from "./tables.ts";
import { validateTemplate } from "./validate.ts";

type Row = typeof templates.$inferSelect;
type LeadRow = typeof leads.$inferSelect;

/** Lead row → the shape merge fields read (custom attributes under `custom`). */
export const leadForRender = (l: LeadRow): LeadLike => ({
  id: l.id,
  email: l.email,
  firstName: l.firstName,
  lastName: l.lastName,
  company: l.company,
  title: l.title,
  phone: l.phone,
  website: l.website,
  city: l.city,
  country: l.country,
  custom: l.attributes as LeadLike["custom"],
});

const toDto = (r: Row, warnings: TemplateIssue[] = []): TemplateDto => ({
  id: r.id,
  workspaceId: r.workspaceId,
  name: r.name,
  folder: r.folder,
  tags: r.tags,
  subject: r.subject,
  text: r.bodyText,
  html: r.bodyHtml,
  warnings,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** Validates against the tenant's custom fields and a sample of the workspace's leads (for missing-fallback warnings). */
async function check(tx: Tx, tenantId: string, workspaceId: string, t: { subject: string; text: string; html?: string | null }) {
  const custom = [...(await fieldDefs(tx, tenantId)).keys()];
  const sample = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.tenantId, tenantId), eq(leads.workspaceId, workspaceId)))
    .limit(200);
  return validateTemplate(
    { subject: t.subject, text: t.text, html: t.html ?? undefined },
    { knownCustomFields: custom, sampleLeads: sample.map(leadForRender) },
  );
}

function refuseErrors(errors: TemplateIssue[]) {
  if (errors.length) {
    throw new AppError(
      "UNPROCESSABLE",
      `The template has ${errors.length} problem${errors.length === 1 ? "" : "s"}: ${errors[0]!.message}`,
      {
        issues: errors.map((e) => ({ path: `${e.part}:${e.line}:${e.column}`, message: e.message })),
      },
    );
  }
}

async function loadTemplate(tx: Tx, ctx: Ctx, id: string, min: "viewer" | "member"): Promise<Row> {
  const [row] = await tx
    .select()
    .from(templates)
    .where(and(eq(templates.id, id), eq(templates.tenantId, ctx.tenant!.id)));
  if (!row) throw new AppError("NOT_FOUND", "Template not found.");
  await requireWorkspaceRole(tx, ctx, row.workspaceId, min).catch((err) => {
    throw err instanceof AppError && err.code === "NOT_FOUND" ? new AppError("NOT_FOUND", "Template not found.") : err;
  });
  return row;
}

export async function listTemplates(ctx: Ctx, q: { workspaceId?: string; folder?: string; tag?: string; q?: string }) {
  requirePermission(ctx, "campaigns:read");
  const rows = await withTx(ctx, async (tx) => {
    if (q.workspaceId) await requireWorkspaceRole(tx, ctx, q.workspaceId, "viewer");
    return tx
      .select()
      .from(templates)
      .where(
        and(
          eq(templates.tenantId, ctx.tenant!.id),
          q.workspaceId ? eq(templates.workspaceId, q.workspaceId) : undefined,
          q.folder ? eq(templates.folder, q.folder) : undefined,
          q.tag ? sql`${q.tag} = any(${templates.tags})` : undefined,
          q.q ? sql`lower(${templates.name}) like ${`%${q.q.toLowerCase().replace(/[%_\\]/g, "\\$&")}%`}` : undefined,
        ),
      )
      .orderBy(asc(templates.folder), desc(templates.updatedAt))
      .limit(500);
  });
  return rows.map((r) => toDto(r));
}

export async function getTemplate(ctx: Ctx, id: string): Promise<TemplateDto> {
  requirePermission(ctx, "campaigns:read");
  return withTx(ctx, async (tx) => {
    const row = await loadTemplate(tx, ctx, id, "viewer");
    const { warnings } = await check(tx, ctx.tenant!.id, row.workspaceId, { subject: row.subject, text: row.bodyText, html: row.bodyHtml });
    return toDto(row, warnings);
  });
}

export async function createTemplate(ctx: Ctx, input: SaveTemplateInput): Promise<TemplateDto> {
  requirePermission(ctx, "campaigns:write");
  try {
    return await withTx(ctx, async (tx) => {
      await requireWorkspaceRole(tx, ctx, input.workspaceId, "member");
      const { errors, warnings } = await check(tx, ctx.tenant!.id, input.workspaceId, input);
      refuseErrors(errors);
      const [row] = await tx
        .insert(templates)
        .values({
          id: newId("tpl"),
          tenantId: ctx.tenant!.id,
          workspaceId: input.workspaceId,
          name: input.name,
          folder: input.folder ?? null,
          tags: [...new Set(input.tags)],
          subject: input.subject,
          bodyText: input.text,
          bodyHtml: input.html || null,
          createdBy: ctx.actor?.userId ?? null,
        })
        .returning();
      await writeAudit(tx, ctx, { action: "template.create", targetType: "template", targetId: row!.id, summary: { name: input.name } });
      return toDto(row!, warnings);
    });
  } catch (err) {
    if (isUniqueViolation(err, "templates_ws_name_uq"))
      throw new AppError("CONFLICT", "This workspace already has a template with that name.");
    throw err;
  }
}

export async function updateTemplate(ctx: Ctx, id: string, input: UpdateTemplateInput): Promise<TemplateDto> {
  requirePermission(ctx, "campaigns:write");
  try {
    return await withTx(ctx, async (tx) => {
      const before = await loadTemplate(tx, ctx, id, "member");
      const next = {
        subject: input.subject ?? before.subject,
        text: input.text ?? before.bodyText,
        html: input.html === undefined ? before.bodyHtml : input.html,
      };
      const { errors, warnings } = await check(tx, ctx.tenant!.id, before.workspaceId, next);
      refuseErrors(errors);
      const [row] = await tx
        .update(templates)
        .set({
          name: input.name ?? before.name,
          folder: input.folder === undefined ? before.folder : input.folder,
          tags: input.tags ? [...new Set(input.tags)] : before.tags,
          subject: next.subject,
          bodyText: next.text,
          bodyHtml: next.html || null,
          updatedAt: new Date(),
        })
        .where(eq(templates.id, id))
        .returning();
      await writeAudit(tx, ctx, {
        action: "template.update",
        targetType: "template",
        targetId: id,
        summary: { fields: Object.keys(input) },
      });
      return toDto(row!, warnings);
    });
  } catch (err) {
    if (isUniqueViolation(err, "templates_ws_name_uq"))
      throw new AppError("CONFLICT", "This workspace already has a template with that name.");
    throw err;
  }
}

export async function deleteTemplate(ctx: Ctx, id: string) {
  requirePermission(ctx, "campaigns:write");
  return withTx(ctx, async (tx) => {
    const row = await loadTemplate(tx, ctx, id, "member");
    await tx.delete(templates).where(eq(templates.id, id));
    await writeAudit(tx, ctx, { action: "template.delete", targetType: "template", targetId: id, summary: { name: row.name } });
    return { deleted: true as const };
  });
}

/**
 * Live preview for the editor: validation plus the message rendered for one lead (the chosen one, or
 * the workspace's newest) with the compliance footer the send path will add. The sender is the
 * signed-in user until mailboxes exist; the unsubscribe link is a placeholder that does not resolve.
 */
export async function previewTemplate(ctx: Ctx, input: PreviewInput) {
  requirePermission(ctx, "campaigns:read");
  return withTx(ctx, async (tx) => {
    await requireWorkspaceRole(tx, ctx, input.workspaceId, "viewer");
    const { errors, warnings } = await check(tx, ctx.tenant!.id, input.workspaceId, input);
    const [lead] = input.leadId
      ? await tx
          .select()
          .from(leads)
          .where(and(eq(leads.id, input.leadId), eq(leads.tenantId, ctx.tenant!.id), eq(leads.workspaceId, input.workspaceId)))
      : await tx
          .select()
          .from(leads)
          .where(and(eq(leads.tenantId, ctx.tenant!.id), eq(leads.workspaceId, input.workspaceId)))
          .orderBy(desc(leads.createdAt))
          .limit(1);
    if (input.leadId && !lead) throw new AppError("NOT_FOUND", "Lead not found in this workspace.");
    const [ws] = await tx.select({ postalAddress: workspaces.postalAddress }).from(workspaces).where(eq(workspaces.id, input.workspaceId));
    const actor = ctx.actor?.kind === "user" ? ctx.actor : null;
    const [first, ...rest] = (actor?.name ?? "").split(" ");
    let rendered = null;
    if (!errors.length) {
      const message = renderMessage(
        { subject: input.subject, text: input.text, html: input.html ?? undefined },
        {
          lead: lead ? leadForRender(lead) : { email: "sample@example.com", firstName: "Sam", lastName: "Sample", company: "Example Co" },
          sender: { email: actor?.email ?? "you@example.com", firstName: first ?? "", lastName: rest.join(" "), signature: "" },
          seed: `preview:${lead?.id ?? "sample"}`,
        },
      );
      rendered = withComplianceFooter(message, {
        postalAddress: ws?.postalAddress || "Your postal address (set it in workspace settings)",
        unsubscribeUrl: `${ctx.config.APP_URL}/u/preview`,
      });
    }
    return { errors, warnings, rendered, lead: lead ? { id: lead.id, email: lead.email } : null, missingPostalAddress: !ws?.postalAddress };
  });
}
