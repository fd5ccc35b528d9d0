import { and, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type CampaignSchedule, campaignSteps, campaigns, enrollments, sends, stepVariants } from "../campaigns/tables.ts";
import { leads } from "../leads/tables.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import type { Ctx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { withComplianceFooter } from "../templates/footer.ts";
import { isTemplateError } from "../templates/issues.ts";
import { renderMessage } from "../templates/render.ts";
import { leadForRender } from "../templates/service.ts";
import { workspaces } from "../tenants/tables.ts";
import { verifiedTrackingHost } from "../tracking/domains.ts";
import { addTracking } from "../tracking/rewrite.ts";
import { buildMessage } from "./mime.ts";
import { signUnsubscribe } from "./unsubscribe-token.ts";

/** A mailbox as the sender needs it: everything but the last connection test (its transcript is long). */
const { lastTest: _lastTest, ...boxColumns } = getTableColumns(mailboxes);
export type SendingMailbox = Omit<typeof mailboxes.$inferSelect, "lastTest">;
type Mailbox = SendingMailbox;
type SendRow = typeof sends.$inferSelect;

export interface PreparedBatch {
  ready: PreparedSend[];
  /** The claimed sends' mailboxes (all active at claim time). */
  boxes: Map<string, Mailbox>;
  /** One entry per send that took a pacer slot and will not reach SMTP (the slot goes back). */
  unsent: { mailboxId: string; tz: string }[];
  /** Campaigns whose plan this batch changed (their clocks re-plan). */
  campaignIds: Set<string>;
}

export interface PreparedSend {
  send: SendRow;
  to: string;
  subject: string;
  data: string;
  messageId: string;
  bodyText: string;
  leadTimezone: string | null;
  schedule: CampaignSchedule;
  nextStep: { position: number; waitMinutes: number } | null;
}

/**
 * Claims a batch's sends (any mailboxes) and gets them ready, in one transaction of two statements
 * whatever the batch size (each round trip to the database costs more than the rows it carries):
 *  1. claim (queued/retry → sending) the sends whose mailbox is active, so a redelivered job finds
 *     nothing; sends whose mailbox is not active go back to planning (another mailbox may take them);
 *  2. read everything the re-check and the render need in one joined select.
 * Then re-check each one (campaign running, enrolment on this step, address still mailable, postal
 * address present), render it and build its MIME. Sends that must not go are cancelled with a reason.
 * The rendered fields (to, subject, Message-ID, body) are stored with the outcome (deliver.ts).
 */
export async function prepareBatch(
  tx: Tx,
  ctx: Ctx,
  tenantId: string,
  ids: string[],
  /** Told each claimed send's mailbox as soon as they are known, before the re-check and render. */
  onMailboxes?: (claimed: Mailbox[]) => void,
): Promise<PreparedBatch> {
  // Both updates repeat the status test in their own WHERE: under READ COMMITTED a concurrent
  // claimer's committed change is re-checked there (not in the CTE's snapshot), so a send is claimed once.
  const claim = await tx.execute<{ id: string | null; campaign_id: string | null; mailbox_id: string | null; tz: string | null }>(sql`
    with cand as (
      select s.id, s.enrollment_id, s.mailbox_id, m.timezone as tz, coalesce(m.status = 'active', false) as usable
      from sends s left join mailboxes m on m.id = s.mailbox_id
      where s.id = any(${sql.param(ids)}::text[]) and s.status in ('queued', 'retry')
    ), requeued as (
      update sends set status = 'requeue', mailbox_id = null, error = 'mailbox not active', updated_at = now()
      from cand where sends.id = cand.id and not cand.usable and sends.status in ('queued', 'retry')
      returning sends.enrollment_id, sends.campaign_id, cand.mailbox_id, cand.tz
    ), replanned as (
      update enrollments set next_send_at = now() + interval '60 seconds'
      where id in (select enrollment_id from requeued)
    ), claimed as (
      update sends set status = 'sending', attempts = sends.attempts + 1, updated_at = now()
      from cand where sends.id = cand.id and cand.usable and sends.status in ('queued', 'retry')
      returning sends.id
    )
    select id, null as campaign_id, null as mailbox_id, null as tz from claimed
    union all select null, campaign_id, mailbox_id, tz from requeued`);
  const claimedIds = claim.rows.flatMap((r) => (r.id ? [r.id] : []));
  const out: PreparedBatch = { ready: [], boxes: new Map(), unsent: [], campaignIds: new Set() };
  for (const r of claim.rows)
    if (!r.id) {
      out.campaignIds.add(r.campaign_id!);
      if (r.mailbox_id) out.unsent.push({ mailboxId: r.mailbox_id, tz: r.tz ?? "UTC" });
    }
  if (!claimedIds.length) return out;
  const nextStep = alias(campaignSteps, "next_step");
  const selected = await tx
    .select({
      send: sends,
      // Only what the re-check, the render and SMTP read: these rows repeat for every send of a batch.
      box: boxColumns,
      campaign: {
        id: campaigns.id,
        status: campaigns.status,
        workspaceId: campaigns.workspaceId,
        schedule: campaigns.schedule,
        trackOpens: campaigns.trackOpens,
        trackClicks: campaigns.trackClicks,
      },
      enr: { id: enrollments.id, status: enrollments.status, nextPosition: enrollments.nextPosition },
      lead: leads,
      step: { id: campaignSteps.id, position: campaignSteps.position },
      variant: { subject: stepVariants.subject, bodyText: stepVariants.bodyText, bodyHtml: stepVariants.bodyHtml },
      postalAddress: workspaces.postalAddress,
      next: { position: nextStep.position, waitMinutes: nextStep.waitMinutes },
      // Links and the unsubscribe URL use the workspace's verified tracking domain when it has one.
      trackingHost: verifiedTrackingHost(campaigns.workspaceId),
      // The same address-or-domain, any-scope test as suppressedAmong (suppression/may-mail.ts).
      suppressed: sql<string | null>`(select reason from suppressions sp
        where sp.value in (${leads.email}, split_part(${leads.email}, '@', 2))
          and (sp.scope = 'global' or (sp.scope = 'tenant' and sp.tenant_id = ${tenantId})
               or (sp.scope = 'workspace' and sp.tenant_id = ${tenantId} and sp.workspace_id = ${campaigns.workspaceId}))
        limit 1)`,
      customFields: sql<string[]>`(select coalesce(array_agg(key), '{}') from lead_fields where tenant_id = ${tenantId})`,
    })
    .from(sends)
    .leftJoin(mailboxes, eq(mailboxes.id, sends.mailboxId))
    .leftJoin(campaigns, eq(campaigns.id, sends.campaignId))
    .leftJoin(enrollments, eq(enrollments.id, sends.enrollmentId))
    .leftJoin(leads, eq(leads.id, sends.leadId))
    .leftJoin(campaignSteps, eq(campaignSteps.id, sends.stepId))
    .leftJoin(stepVariants, eq(stepVariants.id, sends.variantId))
    .leftJoin(workspaces, eq(workspaces.id, campaigns.workspaceId))
    .leftJoin(nextStep, and(eq(nextStep.campaignId, sends.campaignId), eq(nextStep.position, sql`${campaignSteps.position} + 1`)))
    .where(inArray(sends.id, claimedIds));
  // Every join is a left join from sends, so the plan starts from the claimed ids (primary key)
  // however stale the statistics; a claimed send always has its mailbox.
  const rows = selected.flatMap((r) => (r.box ? [{ ...r, box: r.box }] : []));
  const boxes = new Map(rows.map((r) => [r.box.id, r.box]));
  out.boxes = boxes;
  onMailboxes?.(rows.map((r) => r.box));
  // Cancelled: the send must never go (its lead, enrolment, step or campaign is finished).
  // Postponed: not now, but the lead is still in the sequence — the send goes back to planning and
  // the enrolment comes due again (a paused campaign's on resume), or the lead would be stuck.
  const cancels = new Map<string, string>();
  const postpones = new Map<string, { why: string; enrollmentId: string; delayMs: number }>();
  const stopEnrollments = new Map<string, "stopped" | "unsubscribed" | "bounced" | "complained">();
  const ready: PreparedSend[] = [];
  for (const r of rows) {
    const { send, box, campaign: c, enr, lead, step, variant } = r;
    const [first, ...rest] = box.fromName.split(" ");
    const domain = box.email.slice(box.email.indexOf("@") + 1);
    out.campaignIds.add(send.campaignId);
    if (c?.status === "paused" || c?.status === "scheduled")
      postpones.set(send.id, { why: `campaign ${c.status}`, enrollmentId: send.enrollmentId, delayMs: 0 });
    else if (c?.status !== "sending") cancels.set(send.id, `campaign ${c?.status ?? "deleted"}`);
    else if (enr?.status !== "active") cancels.set(send.id, `enrollment ${enr?.status ?? "deleted"}`);
    else if (!lead || !step || !variant || enr.nextPosition !== step.position) cancels.set(send.id, "step no longer current");
    else if (lead.status !== "active") {
      cancels.set(send.id, `may not mail: lead_${lead.status}`);
      stopEnrollments.set(enr.id, lead.status as "unsubscribed");
    } else if (r.suppressed) {
      cancels.set(send.id, `may not mail: suppressed (${r.suppressed})`);
      stopEnrollments.set(enr.id, "stopped");
    } else if (!r.postalAddress)
      postpones.set(send.id, { why: "workspace has no postal address", enrollmentId: enr.id, delayMs: POSTPONE_MS });
    else {
      try {
        const rendered = renderMessage(
          { subject: variant.subject, text: variant.bodyText, html: variant.bodyHtml ?? undefined },
          {
            lead: leadForRender(lead),
            sender: { email: box.email, firstName: first ?? "", lastName: rest.join(" "), signature: box.signature ?? "" },
            seed: `${enr.id}:${step.id}`,
            knownCustomFields: r.customFields,
          },
        );
        const token = await signUnsubscribe(ctx.config.AUTH_SECRET, { t: tenantId, w: c.workspaceId, e: lead.email, s: send.id });
        const base = r.trackingHost ? `https://${r.trackingHost}` : ctx.config.APP_URL;
        const unsubscribeUrl = `${base}/t/u/${token}`;
        const withFooter = withComplianceFooter(rendered, { postalAddress: r.postalAddress, unsubscribeUrl });
        const final = {
          subject: withFooter.subject,
          ...(await addTracking(withFooter, {
            secret: ctx.config.AUTH_SECRET,
            baseUrl: base,
            tenantId,
            sendId: send.id,
            campaignId: c.id,
            sentAt: Date.now(),
            opens: c.trackOpens,
            clicks: c.trackClicks,
          })),
        };
        // The Message-ID names the send and its tenant: replies and bounces quote it, which is how
        // inbound mail finds its way back without a lookup table (inbound/match.ts).
        const messageId = `${send.id}.${tenantId}@${domain}`;
        ready.push({
          send,
          to: lead.email,
          subject: final.subject,
          messageId,
          // Stored as the reader saw it, without the tracking redirects (the inbox shows it).
          bodyText: withFooter.text,
          data: buildMessage({
            from: { name: box.fromName, email: box.email },
            to: lead.email,
            subject: final.subject,
            text: final.text,
            html: final.html,
            messageId,
            date: new Date(),
            listUnsubscribeUrl: unsubscribeUrl,
            extraHeaders: { "X-PM-Send": send.id },
          }),
          leadTimezone: lead.timezone,
          schedule: c.schedule as CampaignSchedule,
          nextStep: r.next?.position != null ? { position: r.next.position, waitMinutes: r.next.waitMinutes } : null,
        });
      } catch (err) {
        // A template that no longer renders (e.g. a custom field was deleted) must not send half a message.
        if (!isTemplateError(err)) throw err;
        postpones.set(send.id, {
          why: `template does not render: ${err.message}`.slice(0, 500),
          enrollmentId: enr.id,
          delayMs: POSTPONE_MS,
        });
      }
    }
  }
  for (const [id, why] of cancels)
    await tx.update(sends).set({ status: "cancelled", error: why, updatedAt: new Date() }).where(eq(sends.id, id));
  for (const [id, status] of stopEnrollments)
    await tx.update(enrollments).set({ status, nextSendAt: null, updatedAt: new Date() }).where(eq(enrollments.id, id));
  if (postpones.size) {
    const list = [...postpones];
    await tx.execute(sql`
      with v as (select * from unnest(${sql.param(list.map(([id]) => id))}::text[], ${sql.param(list.map(([, p]) => p.why))}::text[],
                                      ${sql.param(list.map(([, p]) => p.enrollmentId))}::text[], ${sql.param(list.map(([, p]) => p.delayMs))}::int[])
                 as v(id, why, enrollment_id, delay_ms)),
      s as (update sends set status = 'requeue', mailbox_id = null, error = v.why, updated_at = now() from v
            where sends.id = v.id and sends.id = any(${sql.param(list.map(([id]) => id))}::text[]))
      update enrollments set next_send_at = now() + make_interval(secs => v.delay_ms / 1000.0), updated_at = now()
      from v where enrollments.id = v.enrollment_id and enrollments.status = 'active'
        and enrollments.id = any(${sql.param(list.map(([, p]) => p.enrollmentId))}::text[])`);
  }
  // Every claimed send that will not reach SMTP gives its pacer slot back.
  const readyIds = new Set(ready.map((p) => p.send.id));
  for (const r of rows) if (!readyIds.has(r.send.id)) out.unsent.push({ mailboxId: r.box.id, tz: r.box.timezone });
  out.ready = ready;
  return out;
}

/** How long a send waits before it is planned again when its workspace or template needs fixing. */
const POSTPONE_MS = 60 * 60_000;
