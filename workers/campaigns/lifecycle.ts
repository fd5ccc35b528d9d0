import { and, count, eq, gte, inArray, isNotNull, sql } from "drizzle-orm";
import { campaignClock } from "../../durable-objects/stubs.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { fieldDefs } from "../leads/service.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { validateTemplate } from "../templates/validate.ts";
import { plans, tenants, workspaces } from "../tenants/tables.ts";
import { plannedSendAt } from "./rules.ts";
import { getCampaign, loadCampaign } from "./service.ts";
import { type CampaignSchedule, campaignSteps, campaigns, enrollments, sends, stepVariants } from "./tables.ts";

/** Every reason a campaign cannot launch, so the user fixes them all at once (SPEC §4.7). */
export async function launchProblems(tx: Tx, _ctx: Ctx, c: typeof campaigns.$inferSelect): Promise<string[]> {
  const problems: string[] = [];
  const [leadCount] = c.listIds.length
    ? (
        await tx.execute<{ n: number }>(sql`
          select count(distinct l.id)::int as n from lead_list_members m join leads l on l.id = m.lead_id
          where m.tenant_id = ${c.tenantId} and m.list_id = any(${sql.param(c.listIds)}::text[]) and l.status = 'active'`)
      ).rows
    : [{ n: 0 }];
  if (!c.listIds.length) problems.push("Choose at least one lead list.");
  else if (!leadCount?.n) problems.push("The chosen lists have no active leads.");
  const usable = c.mailboxIds.length
    ? await tx
        .select({ id: mailboxes.id })
        .from(mailboxes)
        .where(and(inArray(mailboxes.id, c.mailboxIds), eq(mailboxes.status, "active")))
    : [];
  if (!usable.length) problems.push("Add at least one active mailbox to send from.");
  const [ws] = await tx.select({ postalAddress: workspaces.postalAddress }).from(workspaces).where(eq(workspaces.id, c.workspaceId));
  if (!ws?.postalAddress) problems.push("Add the workspace's postal address (Settings → Workspaces): every message must carry it.");
  const steps = await tx.select().from(campaignSteps).where(eq(campaignSteps.campaignId, c.id));
  if (!steps.length) problems.push("Add at least one e-mail step.");
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
    : [];
  const custom = [...(await fieldDefs(tx, c.tenantId)).keys()];
  for (const v of variants) {
    const step = steps.find((s) => s.id === v.stepId)!;
    const { errors } = validateTemplate(
      { subject: v.subject, text: v.bodyText, html: v.bodyHtml ?? undefined },
      { knownCustomFields: custom },
    );
    for (const e of errors) problems.push(`Step ${step.position} variant ${v.label}: ${e.message}`);
    if (!v.subject.trim()) problems.push(`Step ${step.position} variant ${v.label}: the subject is empty.`);
  }
  const [plan] = await tx
    .select({ limit: plans.emailsPerMonth })
    .from(tenants)
    .innerJoin(plans, eq(plans.slug, tenants.plan))
    .where(eq(tenants.id, c.tenantId));
  if (plan?.limit != null) {
    const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
    const [used] = await tx
      .select({ n: count() })
      .from(sends)
      .where(and(eq(sends.tenantId, c.tenantId), eq(sends.status, "sent"), gte(sends.sentAt, monthStart)));
    if ((used?.n ?? 0) >= plan.limit) problems.push(`This month's plan quota (${plan.limit.toLocaleString("en-US")} e-mails) is used up.`);
  }
  return problems;
}

/** Enrols the audience (one enrolment per lead, ever) and plans each lead's first send. */
async function enroll(tx: Tx, c: typeof campaigns.$inferSelect, now: Date): Promise<number> {
  const s = c.schedule as CampaignSchedule;
  const window = { days: s.days, startMinute: s.startMinute, endMinute: s.endMinute };
  const startAt = s.startAt ? new Date(s.startAt) : null;
  const zones =
    s.timezone === "lead"
      ? (
          await tx.execute<{ tz: string | null }>(sql`
            select distinct l.timezone as tz from lead_list_members m join leads l on l.id = m.lead_id
            where m.tenant_id = ${c.tenantId} and m.list_id = any(${sql.param(c.listIds)}::text[])`)
        ).rows.map((r) => r.tz)
      : [null];
  let total = 0;
  for (const tz of zones) {
    const zone = s.timezone === "lead" ? (tz ?? s.fallbackTimezone) : s.timezone;
    const at = plannedSendAt({ dueAt: now, window, tz: zone, startAt });
    if (!at) continue;
    const zoneFilter = s.timezone === "lead" ? (tz === null ? sql`and l.timezone is null` : sql`and l.timezone = ${tz}`) : sql``;
    const r = await tx.execute(sql`
      insert into enrollments (id, tenant_id, campaign_id, lead_id, status, next_position, next_send_at)
      select 'enr_' || replace(gen_random_uuid()::text, '-', ''), ${c.tenantId}, ${c.id}, l.id, 'active', 1, ${at.toISOString()}::timestamptz
      from leads l
      where l.tenant_id = ${c.tenantId} and l.workspace_id = ${c.workspaceId} and l.status = 'active'
        and exists (select 1 from lead_list_members m where m.lead_id = l.id and m.list_id = any(${sql.param(c.listIds)}::text[]))
        ${zoneFilter}
      on conflict (campaign_id, lead_id) do nothing`);
    total += r.rowCount ?? 0;
  }
  return total;
}

export async function nextDueAt(tx: Tx, campaignId: string): Promise<Date | null> {
  const r = await tx.execute<{ at: string | null }>(
    sql`select min(next_send_at)::text as at from enrollments where campaign_id = ${campaignId} and status = 'active' and next_send_at is not null`,
  );
  return r.rows[0]?.at ? new Date(r.rows[0].at) : null;
}

export async function launchCampaign(ctx: Ctx, env: Env, id: string) {
  requirePermission(ctx, "campaigns:write");
  const now = new Date();
  const next = await withTx(ctx, async (tx) => {
    const c = await loadCampaign(tx, ctx, id, "member");
    if (c.status !== "draft") throw new AppError("CONFLICT", `The campaign is already ${c.status}.`);
    const problems = await launchProblems(tx, ctx, c);
    if (problems.length)
      throw new AppError("UNPROCESSABLE", `The campaign cannot launch yet: ${problems[0]}`, {
        issues: problems.map((m) => ({ path: "launch", message: m })),
      });
    const enrolled = await enroll(tx, c, now);
    const startAt = (c.schedule as CampaignSchedule).startAt;
    const status = startAt && new Date(startAt) > now ? "scheduled" : "sending";
    await tx.update(campaigns).set({ status, launchedAt: now, updatedAt: now }).where(eq(campaigns.id, id));
    await writeAudit(tx, ctx, { action: "campaign.launch", targetType: "campaign", targetId: id, summary: { enrolled, status } });
    return nextDueAt(tx, id);
  });
  await campaignClock(env, id).schedule(ctx.tenant!.id, id, next?.getTime() ?? null);
  return getCampaign(ctx, id);
}

export async function pauseCampaign(ctx: Ctx, env: Env, id: string) {
  requirePermission(ctx, "campaigns:write");
  await withTx(ctx, async (tx) => {
    const c = await loadCampaign(tx, ctx, id, "member");
    if (c.status !== "sending" && c.status !== "scheduled")
      throw new AppError("CONFLICT", `Only a running campaign can be paused (it is ${c.status}).`);
    await tx.update(campaigns).set({ status: "paused", updatedAt: new Date() }).where(eq(campaigns.id, id));
    await writeAudit(tx, ctx, { action: "campaign.pause", targetType: "campaign", targetId: id });
  });
  await campaignClock(env, id).schedule(ctx.tenant!.id, id, null);
  return getCampaign(ctx, id);
}

/** Resuming re-plans every waiting lead from now (sends due while paused go out in the next window). */
export async function resumeCampaign(ctx: Ctx, env: Env, id: string) {
  requirePermission(ctx, "campaigns:write");
  const next = await withTx(ctx, async (tx) => {
    const c = await loadCampaign(tx, ctx, id, "member");
    if (c.status !== "paused") throw new AppError("CONFLICT", `Only a paused campaign can be resumed (it is ${c.status}).`);
    await tx.update(campaigns).set({ status: "sending", updatedAt: new Date() }).where(eq(campaigns.id, id));
    await tx
      .update(enrollments)
      .set({ nextSendAt: sql`greatest(${enrollments.nextSendAt}, now())` })
      .where(and(eq(enrollments.campaignId, id), eq(enrollments.status, "active"), isNotNull(enrollments.nextSendAt)));
    await writeAudit(tx, ctx, { action: "campaign.resume", targetType: "campaign", targetId: id });
    return nextDueAt(tx, id);
  });
  await campaignClock(env, id).schedule(ctx.tenant!.id, id, next?.getTime() ?? Date.now());
  return getCampaign(ctx, id);
}

/** Stop for good: waiting enrolments end, queued sends are cancelled at send time. */
export async function stopCampaign(ctx: Ctx, env: Env, id: string) {
  requirePermission(ctx, "campaigns:write");
  await withTx(ctx, async (tx) => {
    const c = await loadCampaign(tx, ctx, id, "member");
    if (c.status === "completed" || c.status === "draft") throw new AppError("CONFLICT", `A ${c.status} campaign cannot be stopped.`);
    const now = new Date();
    await tx.update(campaigns).set({ status: "completed", stoppedAt: now, completedAt: now, updatedAt: now }).where(eq(campaigns.id, id));
    await tx
      .update(enrollments)
      .set({ status: "stopped", nextSendAt: null, updatedAt: now })
      .where(and(eq(enrollments.campaignId, id), eq(enrollments.status, "active")));
    await tx
      .update(sends)
      .set({ status: "cancelled", updatedAt: now })
      .where(and(eq(sends.campaignId, id), inArray(sends.status, ["queued", "retry", "requeue"])));
    await writeAudit(tx, ctx, { action: "campaign.stop", targetType: "campaign", targetId: id });
  });
  await campaignClock(env, id).schedule(ctx.tenant!.id, id, null);
  return getCampaign(ctx, id);
}
