import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { templates } from "../templates/tables.ts";
import { requireWorkspaceRole } from "../tenants/access.ts";
import type { CampaignDto, SaveCampaignInput, UpdateCampaignInput } from "./schemas.ts";
import { type CampaignSchedule, campaignSteps, campaigns, stepVariants } from "./tables.ts";

type Row = typeof campaigns.$inferSelect;

export async function loadCampaign(tx: Tx, ctx: Ctx, id: string, min: "viewer" | "member"): Promise<Row> {
  const [row] = await tx
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, id), eq(campaigns.tenantId, ctx.tenant!.id)));
  if (!row) throw new AppError("NOT_FOUND", "Campaign not found.");
  await requireWorkspaceRole(tx, ctx, row.workspaceId, min).catch((err) => {
    throw err instanceof AppError && err.code === "NOT_FOUND" ? new AppError("NOT_FOUND", "Campaign not found.") : err;
  });
  return row;
}

/** Steps and variants; a variant may start from a template, whose content is copied in. */
async function writeSteps(tx: Tx, ctx: Ctx, campaign: Row, steps: SaveCampaignInput["steps"]) {
  const existing = await tx.select().from(campaignSteps).where(eq(campaignSteps.campaignId, campaign.id));
  const byPos = new Map(existing.map((s) => [s.position, s]));
  for (const [i, step] of steps.entries()) {
    const position = i + 1;
    let stepId = byPos.get(position)?.id;
    if (stepId) {
      await tx
        .update(campaignSteps)
        .set({ waitMinutes: position === 1 ? 0 : step.waitMinutes, condition: step.condition })
        .where(eq(campaignSteps.id, stepId));
    } else {
      stepId = newId("stp");
      await tx.insert(campaignSteps).values({
        id: stepId,
        tenantId: campaign.tenantId,
        campaignId: campaign.id,
        position,
        waitMinutes: position === 1 ? 0 : step.waitMinutes,
        condition: step.condition,
      });
    }
    // Variants are updated in place by label (A, B, …), so sends keep pointing at the variant they
    // used and per-variant statistics survive an edit of a running campaign.
    const before = await tx.select().from(stepVariants).where(eq(stepVariants.stepId, stepId));
    for (const [j, v] of step.variants.entries()) {
      let content = { subject: v.subject ?? "", text: v.text ?? "", html: v.html ?? null };
      if (v.templateId) {
        const [t] = await tx
          .select()
          .from(templates)
          .where(
            and(eq(templates.id, v.templateId), eq(templates.tenantId, ctx.tenant!.id), eq(templates.workspaceId, campaign.workspaceId)),
          );
        if (!t) throw new AppError("BAD_REQUEST", `Step ${position}: template not found in this workspace.`);
        content = { subject: v.subject ?? t.subject, text: v.text ?? t.bodyText, html: v.html === undefined ? t.bodyHtml : v.html };
      }
      const label = String.fromCharCode(65 + j);
      const row = { templateId: v.templateId ?? null, subject: content.subject, bodyText: content.text, bodyHtml: content.html };
      const same = before.find((b) => b.label === label);
      if (same) await tx.update(stepVariants).set(row).where(eq(stepVariants.id, same.id));
      else await tx.insert(stepVariants).values({ id: newId("var"), tenantId: campaign.tenantId, stepId, label, ...row });
    }
    const dropped = before.filter((b) => b.label.charCodeAt(0) - 65 >= step.variants.length).map((b) => b.id);
    if (dropped.length) await tx.delete(stepVariants).where(inArray(stepVariants.id, dropped));
  }
  const extra = existing.filter((s) => s.position > steps.length).map((s) => s.id);
  if (extra.length) await tx.delete(campaignSteps).where(inArray(campaignSteps.id, extra));
}

async function checkRefs(tx: Tx, ctx: Ctx, workspaceId: string, input: { mailboxIds?: string[]; listIds?: string[] }) {
  if (input.mailboxIds?.length) {
    const found = await tx
      .select({ id: mailboxes.id })
      .from(mailboxes)
      .where(and(eq(mailboxes.tenantId, ctx.tenant!.id), eq(mailboxes.workspaceId, workspaceId), inArray(mailboxes.id, input.mailboxIds)));
    if (found.length !== new Set(input.mailboxIds).size)
      throw new AppError("BAD_REQUEST", "Choose mailboxes from the campaign's workspace.");
  }
  if (input.listIds?.length) {
    const found = await tx.execute(
      sql`select id from lead_lists where tenant_id = ${ctx.tenant!.id} and workspace_id = ${workspaceId} and id = any(${sql.param(input.listIds)}::text[])`,
    );
    if (found.rows.length !== new Set(input.listIds).size) throw new AppError("BAD_REQUEST", "Choose lists from the campaign's workspace.");
  }
}

export async function createCampaign(ctx: Ctx, input: SaveCampaignInput): Promise<CampaignDto> {
  requirePermission(ctx, "campaigns:write");
  const id = await withTx(ctx, async (tx) => {
    await requireWorkspaceRole(tx, ctx, input.workspaceId, "member");
    await checkRefs(tx, ctx, input.workspaceId, input);
    const [row] = await tx
      .insert(campaigns)
      .values({
        id: newId("cmp"),
        tenantId: ctx.tenant!.id,
        workspaceId: input.workspaceId,
        name: input.name,
        schedule: input.schedule as CampaignSchedule,
        trackOpens: input.trackOpens,
        trackClicks: input.trackClicks,
        mailboxIds: [...new Set(input.mailboxIds)],
        listIds: [...new Set(input.listIds)],
      })
      .returning();
    await writeSteps(tx, ctx, row!, input.steps);
    await writeAudit(tx, ctx, { action: "campaign.create", targetType: "campaign", targetId: row!.id, summary: { name: input.name } });
    return row!.id;
  });
  return getCampaign(ctx, id);
}

/** Autosave for drafts; on a running campaign, changes apply to sends not yet handed to SMTP. */
export async function updateCampaign(ctx: Ctx, id: string, input: UpdateCampaignInput): Promise<CampaignDto> {
  requirePermission(ctx, "campaigns:write");
  await withTx(ctx, async (tx) => {
    const row = await loadCampaign(tx, ctx, id, "member");
    if (row.status === "completed") throw new AppError("CONFLICT", "A completed campaign cannot be edited; duplicate it instead.");
    await checkRefs(tx, ctx, row.workspaceId, input);
    await tx
      .update(campaigns)
      .set({
        ...(input.name ? { name: input.name } : {}),
        ...(input.schedule ? { schedule: input.schedule as CampaignSchedule } : {}),
        ...(input.mailboxIds ? { mailboxIds: [...new Set(input.mailboxIds)] } : {}),
        ...(input.listIds ? { listIds: [...new Set(input.listIds)] } : {}),
        ...(input.trackOpens !== undefined ? { trackOpens: input.trackOpens } : {}),
        ...(input.trackClicks !== undefined ? { trackClicks: input.trackClicks } : {}),
        updatedAt: new Date(),
      })
      .where(eq(campaigns.id, id));
    if (input.steps) await writeSteps(tx, ctx, row, input.steps);
    await writeAudit(tx, ctx, { action: "campaign.update", targetType: "campaign", targetId: id, summary: { fields: Object.keys(input) } });
  });
  return getCampaign(ctx, id);
}

/**
 * A campaign's unsubscribe events (send_id, lead_id) whose person has not resubscribed since: an
 * undo ("resubscribe") is recorded as an `unsubscribed` event with `meta.undone`, possibly through
 * another send or campaign (a second unsubscribe of a suppressed address records nothing), so
 * whether someone is still out is decided per lead, from their latest such event anywhere. Runs in
 * a tenant transaction: row-level security keeps it to the tenant's events.
 */
export function unsubscribedNow(campaignId: string) {
  return sql`(
    select e.send_id, e.lead_id from email_events e
    where e.campaign_id = ${campaignId} and e.type = 'unsubscribed'
      and coalesce(e.meta ->> 'undone', 'false') = 'false' and e.lead_id is not null
      -- the person's latest unsubscribe or undo, in any campaign (email_events_lead_idx)
      and coalesce((
        select u.meta ->> 'undone' from email_events u
        where u.tenant_id = e.tenant_id and u.lead_id = e.lead_id and u.type = 'unsubscribed'
        order by u.at desc, u.id desc limit 1), 'false') = 'false'
  )`;
}

export async function campaignStats(tx: Tx, campaignId: string) {
  const r = await tx.execute<Record<string, number>>(sql`
    select
      (select count(*)::int from enrollments where campaign_id = ${campaignId}) as enrolled,
      (select count(*)::int from enrollments where campaign_id = ${campaignId} and status = 'active') as active,
      (select count(*)::int from enrollments where campaign_id = ${campaignId} and status = 'completed') as completed,
      (select count(*)::int from enrollments where campaign_id = ${campaignId} and status = 'active' and next_send_at is not null) as scheduled,
      (select count(*)::int from sends where campaign_id = ${campaignId} and status = 'sent') as sent,
      (select count(*)::int from sends where campaign_id = ${campaignId} and status = 'failed') as failed,
      (select count(*)::int from sends where campaign_id = ${campaignId} and status = 'bounced') as bounced,
      (select count(*)::int from sends where campaign_id = ${campaignId} and status = 'unknown') as unknown,
      ev.opened, ev."appleMppOpened", ev.clicked, ev.replied,
      (select count(distinct lead_id)::int from ${unsubscribedNow(campaignId)} u) as unsubscribed
    -- opens, Apple Mail privacy opens, clicks and replies in one pass over the campaign's events
    from (select
        (count(distinct send_id) filter (where type = 'opened' and meta ->> 'machine' is null))::int as opened,
        (count(distinct send_id) filter (where type = 'opened' and meta ->> 'machine' = 'apple_mpp'))::int as "appleMppOpened",
        (count(distinct send_id) filter (where type = 'clicked' and meta ->> 'machine' is null))::int as clicked,
        (count(distinct lead_id) filter (where type = 'replied' and coalesce(meta ->> 'auto', 'false') = 'false'))::int as replied
      from email_events where campaign_id = ${campaignId} and type in ('opened', 'clicked', 'replied')) ev`);
  return r.rows[0] as CampaignDto["stats"];
}

export async function getCampaign(ctx: Ctx, id: string): Promise<CampaignDto> {
  requirePermission(ctx, "campaigns:read");
  return withTx(ctx, async (tx) => {
    const row = await loadCampaign(tx, ctx, id, "viewer");
    const steps = await tx.select().from(campaignSteps).where(eq(campaignSteps.campaignId, id)).orderBy(asc(campaignSteps.position));
    const variants = steps.length
      ? await tx
          .select()
          .from(stepVariants)
          .where(
            inArray(
              stepVariants.stepId,
              steps.map((s) => s.id),
            ),
          )
          .orderBy(asc(stepVariants.label))
      : [];
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      name: row.name,
      status: row.status,
      schedule: row.schedule as unknown as Record<string, unknown>,
      listIds: row.listIds,
      mailboxIds: row.mailboxIds,
      trackOpens: row.trackOpens,
      trackClicks: row.trackClicks,
      steps: steps.map((s) => ({
        id: s.id,
        position: s.position,
        waitMinutes: s.waitMinutes,
        condition: s.condition,
        variants: variants
          .filter((v) => v.stepId === s.id)
          .map((v) => ({ id: v.id, label: v.label, templateId: v.templateId, subject: v.subject, text: v.bodyText, html: v.bodyHtml })),
      })),
      stats: await campaignStats(tx, id),
      launchedAt: row.launchedAt?.toISOString() ?? null,
      completedAt: row.completedAt?.toISOString() ?? null,
      stoppedAt: row.stoppedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
    };
  });
}

export async function listCampaigns(ctx: Ctx, workspaceId?: string) {
  requirePermission(ctx, "campaigns:read");
  return withTx(ctx, async (tx) => {
    if (workspaceId) await requireWorkspaceRole(tx, ctx, workspaceId, "viewer");
    const rows = await tx
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.tenantId, ctx.tenant!.id), workspaceId ? eq(campaigns.workspaceId, workspaceId) : undefined))
      .orderBy(desc(campaigns.createdAt))
      .limit(200);
    const out = [];
    for (const r of rows)
      out.push({
        id: r.id,
        workspaceId: r.workspaceId,
        name: r.name,
        status: r.status,
        launchedAt: r.launchedAt?.toISOString() ?? null,
        stoppedAt: r.stoppedAt?.toISOString() ?? null,
        stats: await campaignStats(tx, r.id),
      });
    return out;
  });
}
