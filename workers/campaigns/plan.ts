import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { campaignClock, mailboxPacer } from "../../durable-objects/stubs.ts";
import { isHealthy } from "../infra/nodes.ts";
import { infraNodes } from "../infra/tables.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { type QueueMessage, SEND_IDS_PER_MESSAGE } from "../queues/messages.ts";
import { nextDueAt } from "./lifecycle.ts";
import { pickMailbox, pickVariant, plannedSendAt, type RotationCandidate, reserveSlot } from "./rules.ts";
import { type CampaignSchedule, campaignSteps, campaigns, enrollments, sends, stepVariants } from "./tables.ts";
import { localDayKey } from "./time.ts";

/**
 * Enrolments planned per transaction; a tick plans batches until nothing is due or its time is up.
 * Each batch has a fixed cost (the campaign, its steps, mailboxes and pacers, the next due time)
 * that 500 rows amortise, while the rows it locks stay few enough for a short transaction.
 */
export const TICK_BATCH = 500;

/**
 * One scheduler tick for a campaign (from the CampaignClock alarm, via the queue): takes due
 * enrolments (by the `next_send_at` index, locked with SKIP LOCKED so overlapping ticks never
 * take the same row), picks a mailbox with rotation and a slot from its pacer, claims the
 * (enrolment, step) send row and enqueues its id. Re-arms the clock for the next due time.
 */
export async function planTick(ctx: Ctx, env: Env, tenantId: string, campaignId: string, now?: Date): Promise<{ queued: number }> {
  const started = Date.now();
  let total = 0;
  for (let first = true; ; first = false) {
    const batch = await planBatch(ctx, env, tenantId, campaignId, now ?? new Date(), first);
    // Ids packed SEND_IDS_PER_MESSAGE to a message, at most 100 messages to a sendBatch call.
    const jobs: QueueMessage[] = [];
    for (let i = 0; i < batch.queued.length; i += SEND_IDS_PER_MESSAGE)
      jobs.push({ kind: "send", tenantId, sendIds: batch.queued.slice(i, i + SEND_IDS_PER_MESSAGE) });
    for (let i = 0; i < jobs.length; i += 100) await env.SEND_QUEUE.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body })));
    total += batch.queued.length;
    // Keep planning while work is due and mailboxes have room, within a bounded slice of wall time;
    // a simulated clock (tests) plans one batch per call.
    if (!batch.more || now || Date.now() - started > TICK_BUDGET_MS) {
      await campaignClock(env, campaignId).schedule(
        tenantId,
        campaignId,
        batch.more ? Date.now() : batch.next ? batch.next.getTime() : null,
      );
      return { queued: total };
    }
  }
}

/** Wall time one tick spends planning before handing over to the next alarm. */
const TICK_BUDGET_MS = 10_000;

async function planBatch(
  ctx: Ctx,
  env: Env,
  tenantId: string,
  campaignId: string,
  now: Date,
  sweep: boolean,
): Promise<{ queued: string[]; next: Date | null; more: boolean }> {
  const scope = { tenantId, userId: null };
  const queued: string[] = [];
  let more = false;
  const next = await runInTx(ctx.db, scope, async (tx) => {
    const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId));
    if (!c) return null;
    if (c.status === "scheduled" && (!c.schedule.startAt || new Date(c.schedule.startAt) <= now)) {
      await tx.update(campaigns).set({ status: "sending", updatedAt: now }).where(eq(campaigns.id, campaignId));
      c.status = "sending";
    }
    if (c.status !== "sending") return c.status === "scheduled" ? nextDueAt(tx, campaignId) : null;

    // Sweeps, once per tick (they read every in-flight send of the campaign):
    if (sweep) {
      // A send claimed but never recorded (the consumer died mid-SMTP) is surfaced as unknown, never resent.
      await tx.execute(sql`update sends set status = 'unknown', error = 'delivery outcome unknown: the sender stopped mid-send', updated_at = now()
        where campaign_id = ${campaignId} and status = 'sending' and updated_at < now() - interval '15 minutes'`);
      // A send still queued long after planning may have lost its queue message (the enqueue failed
      // after this transaction committed): enqueue it again. A second message for a send that is
      // still on its way is harmless — the consumer claims a send once.
      const lost = await tx.execute<{ id: string }>(sql`update sends set updated_at = now()
        where campaign_id = ${campaignId} and status = 'queued' and updated_at < now() - interval '15 minutes' returning id`);
      queued.push(...lost.rows.map((r) => r.id));
    }
    const steps = await tx
      .select()
      .from(campaignSteps)
      .where(eq(campaignSteps.campaignId, campaignId))
      .orderBy(asc(campaignSteps.position));
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
    // A hosted mailbox rests while its node is unhealthy (heartbeats missed) or in maintenance:
    // its sends would only fail to connect. The rest of the rotation carries on.
    const boxes = c.mailboxIds.length
      ? (
          await tx
            .select({ box: mailboxes })
            .from(mailboxes)
            .leftJoin(infraNodes, eq(infraNodes.id, mailboxes.nodeId))
            .where(and(inArray(mailboxes.id, c.mailboxIds), eq(mailboxes.status, "active"), or(isNull(mailboxes.nodeId), isHealthy())))
        ).map((r) => r.box)
      : [];
    // One pacer per mailbox, asked all at once: this transaction holds its rows while it waits.
    const usage = await Promise.all(boxes.map((b) => mailboxPacer(env, b.id).usage(b.timezone, now.getTime())));
    const candidates: (RotationCandidate & { tz: string; gap: number })[] = boxes.map((b, i) => ({
      id: b.id,
      domain: b.email.slice(b.email.indexOf("@") + 1),
      sentToday: usage[i]!.sentToday,
      dailyLimit: b.dailyLimit,
      ready: usage[i]!.lastSentAt === null || now.getTime() - usage[i]!.lastSentAt! >= b.minGapSeconds * 1000,
      tz: b.timezone,
      gap: b.minGapSeconds,
    }));

    const due = await tx.execute<{
      id: string;
      lead_id: string;
      next_position: number;
      last_domain: string | null;
      lead_timezone: string | null;
    }>(sql`
      select e.id, e.lead_id, e.next_position, e.last_domain, l.timezone as lead_timezone from enrollments e
      join leads l on l.id = e.lead_id
      where e.campaign_id = ${campaignId} and e.status = 'active' and e.next_send_at is not null and e.next_send_at <= ${now.toISOString()}::timestamptz
      order by e.next_send_at limit ${TICK_BATCH} for update of e skip locked`);
    let earliestRetry: number | null = null;
    const sched = c.schedule as CampaignSchedule;
    const assignments: { enrollmentId: string; leadId: string; stepId: string; variantId: string; box: (typeof candidates)[number] }[] = [];
    for (const e of due.rows) {
      const step = steps.find((s) => s.position === e.next_position);
      if (!step) {
        await tx.update(enrollments).set({ status: "completed", nextSendAt: null, updatedAt: now }).where(eq(enrollments.id, e.id));
        continue;
      }
      if (step.condition === "not_opened" || step.condition === "not_clicked") {
        const type = step.condition === "not_opened" ? "opened" : "clicked";
        const hit = await tx.execute(
          // Human events only: a scanner's or a privacy proxy's open/click (meta.machine) is not the lead's.
          sql`select 1 from email_events ev join sends s on s.id = ev.send_id
            where s.enrollment_id = ${e.id} and ev.type = ${type} and ev.meta ->> 'machine' is null limit 1`,
        );
        if (hit.rows.length) {
          // Condition not met: skip this step, plan the one after it.
          const after = steps.find((s) => s.position === e.next_position + 1);
          const at = after
            ? plannedSendAt({
                dueAt: new Date(now.getTime() + after.waitMinutes * 60_000),
                window: sched,
                // The same zone delivery plans in (deliver.ts): the lead's own when the schedule follows leads.
                tz: sched.timezone === "lead" ? (e.lead_timezone ?? sched.fallbackTimezone) : sched.timezone,
              })
            : null;
          await tx
            .update(enrollments)
            .set(
              after
                ? { nextPosition: after.position, nextSendAt: at, updatedAt: now }
                : { status: "completed", nextSendAt: null, updatedAt: now },
            )
            .where(eq(enrollments.id, e.id));
          continue;
        }
      }
      const pick = pickMailbox(candidates, e.last_domain) as (typeof candidates)[number] | null;
      if (!pick) {
        // Every mailbox is resting or full: leave the rest due; the clock returns when the first
        // one frees up (its gap ends, or its local day rolls over).
        for (const cand of candidates) {
          const decision = reserveSlot(
            { dailyLimit: cand.dailyLimit, minGapSeconds: 0, tz: cand.tz },
            { dayKey: localDayKey(now, cand.tz), sentToday: cand.sentToday, lastSentAt: null },
            now.getTime(),
          );
          if (!decision.ok) earliestRetry = Math.min(earliestRetry ?? decision.retryAt, decision.retryAt);
          else if (cand.gap > 0)
            earliestRetry = Math.min(earliestRetry ?? now.getTime() + cand.gap * 1000, now.getTime() + cand.gap * 1000);
        }
        break;
      }
      pick.sentToday++;
      pick.ready = pick.gap === 0; // its minimum gap starts now
      const forStep = variants.filter((v) => v.stepId === step.id);
      assignments.push({
        enrollmentId: e.id,
        leadId: e.lead_id,
        stepId: step.id,
        variantId: forStep[pickVariant(`${e.id}:${step.id}`, forStep.length)]!.id,
        box: pick,
      });
    }

    // The pacers are authoritative: one round trip per mailbox for all of its picks in this batch,
    // all mailboxes at once.
    const byBox = new Map<(typeof candidates)[number], typeof assignments>();
    for (const a of assignments) {
      const list = byBox.get(a.box);
      if (list) list.push(a);
      else byBox.set(a.box, [a]);
    }
    const grants = await Promise.all(
      [...byBox].map(async ([cand, mine]) => ({
        mine,
        r: await mailboxPacer(env, cand.id).reserveMany(
          { dailyLimit: cand.dailyLimit, minGapSeconds: cand.gap, tz: cand.tz },
          mine.length,
          now.getTime(),
        ),
      })),
    );
    const kept: typeof assignments = [];
    for (const { mine, r } of grants) {
      kept.push(...mine.slice(0, r.granted));
      if (r.granted < mine.length && r.retryAt) earliestRetry = Math.min(earliestRetry ?? r.retryAt, r.retryAt);
    }
    if (kept.length) {
      // One statement: the send rows, and their enrolments wait for the outcome (no next_send_at).
      const claimed = await tx.execute<{ id: string; enrollment_id: string }>(sql`
        with ins as (insert into sends (id, tenant_id, campaign_id, enrollment_id, lead_id, step_id, variant_id, mailbox_id, idempotency_key, status)
        select v.id, ${tenantId}, ${campaignId}, v.enrollment_id, v.lead_id, v.step_id, v.variant_id, v.mailbox_id, v.enrollment_id || ':' || v.step_id, 'queued'
        from unnest(${sql.param(kept.map(() => newId("snd")))}::text[], ${sql.param(kept.map((a) => a.enrollmentId))}::text[], ${sql.param(kept.map((a) => a.leadId))}::text[],
                    ${sql.param(kept.map((a) => a.stepId))}::text[], ${sql.param(kept.map((a) => a.variantId))}::text[], ${sql.param(kept.map((a) => a.box.id))}::text[])
          as v(id, enrollment_id, lead_id, step_id, variant_id, mailbox_id)
        on conflict (idempotency_key) do update set mailbox_id = excluded.mailbox_id, variant_id = excluded.variant_id, status = 'queued', updated_at = now()
          where sends.status = 'requeue'
        returning id, enrollment_id),
        upd as (update enrollments set next_send_at = null, last_domain = v.domain, updated_at = now()
          from unnest(${sql.param(kept.map((a) => a.enrollmentId))}::text[], ${sql.param(kept.map((a) => a.box.domain))}::text[]) as v(id, domain)
          where enrollments.id = v.id and enrollments.id = any(${sql.param(kept.map((a) => a.enrollmentId))}::text[]))
        select id, enrollment_id from ins`);
      queued.push(...claimed.rows.map((r) => r.id));
    }
    const nextDue = await nextDueAt(tx, campaignId);
    if (!nextDue) {
      const inFlight = await tx
        .select({ id: sends.id })
        .from(sends)
        .where(and(eq(sends.campaignId, campaignId), inArray(sends.status, ["queued", "sending", "retry", "requeue"])))
        .limit(1);
      const active = await tx
        .select({ id: enrollments.id })
        .from(enrollments)
        .where(and(eq(enrollments.campaignId, campaignId), eq(enrollments.status, "active")))
        .limit(1);
      if (!inFlight.length && !active.length) {
        await tx.update(campaigns).set({ status: "completed", completedAt: now, updatedAt: now }).where(eq(campaigns.id, campaignId));
        return null;
      }
    }
    // More due right now → come back at once; all mailboxes resting → when the first frees up.
    if (nextDue && nextDue.getTime() <= now.getTime()) {
      more = earliestRetry === null && candidates.length > 0;
      // No active mailbox at all: look again in 5 minutes rather than spinning.
      return new Date(earliestRetry ?? now.getTime() + (candidates.length ? 1000 : 300_000));
    }
    return nextDue;
  });
  return { queued, next, more };
}
