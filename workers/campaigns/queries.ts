import { and, asc, desc, eq, isNotNull, sql } from "drizzle-orm";
import { requirePermission } from "../auth/permissions.ts";
import { leads } from "../leads/tables.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import { type Ctx, requireTenant, withTx } from "../platform/context.ts";
import { afterCursor, cursorTs, encodeCursor } from "../platform/cursor.ts";
import { launchProblems } from "./lifecycle.ts";
import type { StepStat } from "./schemas.ts";
import { loadCampaign, unsubscribedNow } from "./service.ts";
import { campaignSteps, enrollments, type SEND_STATUSES, sends, stepVariants } from "./tables.ts";

/**
 * Tenant-scoped reads behind the campaign page: who gets mailed next, what was sent, per-variant
 * counts and the launch checklist. Every verb loads the campaign first (tenant + workspace access,
 * NOT_FOUND otherwise), so a foreign campaign id never reaches the joins below.
 */

/** Active enrolments with a planned send, soonest first. */
export async function nextSends(ctx: Ctx, campaignId: string, limit = 20) {
  requirePermission(ctx, "campaigns:read");
  const n = Math.max(1, Math.min(100, Math.trunc(limit)));
  return withTx(ctx, async (tx) => {
    const c = await loadCampaign(tx, ctx, campaignId, "viewer");
    const rows = await tx
      .select({
        enrollmentId: enrollments.id,
        leadId: leads.id,
        email: leads.email,
        position: enrollments.nextPosition,
        at: enrollments.nextSendAt,
      })
      .from(enrollments)
      .innerJoin(leads, eq(leads.id, enrollments.leadId))
      .where(
        and(
          eq(enrollments.tenantId, c.tenantId),
          eq(enrollments.campaignId, c.id),
          eq(enrollments.status, "active"),
          isNotNull(enrollments.nextSendAt),
        ),
      )
      .orderBy(asc(enrollments.nextSendAt), asc(enrollments.id))
      .limit(n);
    return rows.map((r) => ({ ...r, at: r.at!.toISOString() }));
  });
}

export type ActivityQuery = { limit?: number; cursor?: string; leadId?: string };

/**
 * Sends newest first (by when they were queued), keyset-paginated on (queued_at, id); optionally
 * one lead's timeline in this campaign.
 */
export async function campaignActivity(ctx: Ctx, campaignId: string, q: ActivityQuery = {}) {
  requirePermission(ctx, "campaigns:read");
  const limit = Math.max(1, Math.min(100, Math.trunc(q.limit ?? 25)));
  return withTx(ctx, async (tx) => {
    const c = await loadCampaign(tx, ctx, campaignId, "viewer");
    const rows = await tx
      .select({
        id: sends.id,
        leadId: sends.leadId,
        to: sql<string | null>`coalesce(${sends.toAddress}, ${leads.email})`,
        position: campaignSteps.position,
        variant: stepVariants.label,
        mailbox: mailboxes.email,
        status: sends.status,
        attempts: sends.attempts,
        queuedAt: sends.queuedAt,
        sentAt: sends.sentAt,
        error: sends.error,
        ts: cursorTs(sends.queuedAt),
      })
      .from(sends)
      .leftJoin(leads, eq(leads.id, sends.leadId))
      .leftJoin(campaignSteps, eq(campaignSteps.id, sends.stepId))
      .leftJoin(stepVariants, eq(stepVariants.id, sends.variantId))
      .leftJoin(mailboxes, eq(mailboxes.id, sends.mailboxId))
      .where(
        and(
          eq(sends.tenantId, c.tenantId),
          eq(sends.campaignId, c.id),
          q.leadId ? eq(sends.leadId, q.leadId) : undefined,
          afterCursor(sends.queuedAt, sends.id, q.cursor),
        ),
      )
      .orderBy(desc(sends.queuedAt), desc(sends.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(({ ts: _ts, queuedAt, sentAt, ...r }) => ({
        ...r,
        queuedAt: queuedAt.toISOString(),
        sentAt: sentAt?.toISOString() ?? null,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.ts, last.id) : null,
    };
  });
}

type SendStatus = (typeof SEND_STATUSES)[number];

/** Per step and variant (every variant, zeros included): outcomes from the sends table. */
export async function stepStats(ctx: Ctx, campaignId: string): Promise<StepStat[]> {
  requirePermission(ctx, "campaigns:read");
  const n = (status: SendStatus | SendStatus[]) =>
    sql<number>`(count(${sends.id}) filter (where ${sends.status} = any(${sql.param(Array.isArray(status) ? status : [status])}::text[])))::int`;
  return withTx(ctx, async (tx) => {
    const c = await loadCampaign(tx, ctx, campaignId, "viewer");
    // What recipients did, per variant, from the campaign's events, each attributed through its
    // send (which must be this campaign's): opens and clicks count sends a person opened or clicked
    // (machine hits are stored, never counted), replies exclude auto-replies.
    const engagement = await tx.execute<{ variant_id: string; opened: number; clicked: number; replied: number }>(sql`
      select s.variant_id,
        (count(distinct e.send_id) filter (where e.type = 'opened'))::int as opened,
        (count(distinct e.send_id) filter (where e.type = 'clicked'))::int as clicked,
        (count(distinct e.send_id) filter (where e.type = 'replied'))::int as replied
      from email_events e join sends s on s.id = e.send_id and s.campaign_id = ${c.id}
      where e.tenant_id = ${c.tenantId} and e.campaign_id = ${c.id} and e.type in ('opened', 'clicked', 'replied')
        and e.meta ->> 'machine' is null and coalesce(e.meta ->> 'auto', 'false') = 'false'
      group by s.variant_id`);
    // Unsubscribes: the send each came through, unless the person has resubscribed since.
    const unsubscribes = await tx.execute<{ variant_id: string; unsubscribed: number }>(sql`
      select s.variant_id, count(distinct e.send_id)::int as unsubscribed
      from ${unsubscribedNow(c.id)} e join sends s on s.id = e.send_id and s.campaign_id = ${c.id}
      group by s.variant_id`);
    const unsubscribedOf = new Map(unsubscribes.rows.map((r) => [r.variant_id, r.unsubscribed]));
    const byVariant = new Map(engagement.rows.map((r) => [r.variant_id, r]));
    const rows = await tx
      .select({
        stepId: campaignSteps.id,
        position: campaignSteps.position,
        variantId: stepVariants.id,
        variant: stepVariants.label,
        subject: stepVariants.subject,
        // Opens are tracked with a pixel, which only an HTML e-mail can carry.
        hasHtml: sql<boolean>`coalesce(${stepVariants.bodyHtml}, '') <> ''`,
        sent: n("sent"),
        bounced: n("bounced"),
        failed: n("failed"),
        unknown: n("unknown"),
        inFlight: n(["queued", "sending", "retry", "requeue"]),
      })
      .from(stepVariants)
      .innerJoin(campaignSteps, eq(campaignSteps.id, stepVariants.stepId))
      .leftJoin(sends, and(eq(sends.variantId, stepVariants.id), eq(sends.tenantId, c.tenantId)))
      .where(and(eq(campaignSteps.tenantId, c.tenantId), eq(campaignSteps.campaignId, c.id)))
      .groupBy(campaignSteps.id, campaignSteps.position, stepVariants.id, stepVariants.label, stepVariants.subject, stepVariants.bodyHtml)
      .orderBy(asc(campaignSteps.position), asc(stepVariants.label));
    return rows.map((r) => {
      const e = byVariant.get(r.variantId);
      return {
        ...r,
        opened: e?.opened ?? 0,
        clicked: e?.clicked ?? 0,
        replied: e?.replied ?? 0,
        unsubscribed: unsubscribedOf.get(r.variantId) ?? 0,
      };
    });
  });
}

/** Every reason the campaign could not launch right now (empty when it can); the launch verb re-checks. */
export async function launchChecklist(ctx: Ctx, campaignId: string): Promise<string[]> {
  requirePermission(ctx, "campaigns:read");
  return withTx(ctx, async (tx) => launchProblems(tx, ctx, await loadCampaign(tx, ctx, campaignId, "viewer")));
}

export type DailyActivity = { day: string; sent: number; opened: number; clicked: number; replied: number; bounced: number };

/**
 * The organization's human activity per UTC day for the last `days` days (oldest first, days
 * without events included as zeros). Opens and clicks count unique sends; machine traffic is not
 * counted.
 */
export async function dailyActivity(ctx: Ctx, days = 14): Promise<DailyActivity[]> {
  requirePermission(ctx, "campaigns:read");
  const tenant = requireTenant(ctx);
  const span = Math.min(Math.max(Math.trunc(days), 1), 90);
  const rows = await withTx(ctx, async (tx) => {
    const r = await tx.execute<{ day: string; type: string; n: number }>(sql`
      select to_char((at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, type,
             (case when type in ('opened', 'clicked') then count(distinct send_id) else count(*) end)::int as n
      from email_events
      where tenant_id = ${tenant.id}
        and type in ('sent', 'opened', 'clicked', 'replied', 'bounced')
        and meta ->> 'machine' is null
        and at >= ((now() at time zone 'UTC')::date - ${span - 1}::int)::timestamp at time zone 'UTC'
      group by 1, 2`);
    return r.rows;
  });
  const today = new Date();
  const out: DailyActivity[] = [];
  for (let i = span - 1; i >= 0; i--) {
    const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i)).toISOString().slice(0, 10);
    out.push({ day, sent: 0, opened: 0, clicked: 0, replied: 0, bounced: 0 });
  }
  const byDay = new Map(out.map((d) => [d.day, d]));
  for (const r of rows) {
    const d = byDay.get(r.day);
    if (d && r.type in d) d[r.type as Exclude<keyof DailyActivity, "day">] = Number(r.n);
  }
  return out;
}
