import { and, eq, inArray, sql } from "drizzle-orm";
import { type CampaignSchedule, campaignSteps, campaigns, enrollments, sends, stepVariants } from "../campaigns/tables.ts";
import { fieldDefs } from "../leads/service.ts";
import { leads } from "../leads/tables.ts";
import type { mailboxes } from "../mailboxes/tables.ts";
import type { Ctx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { suppressedAmong } from "../suppression/may-mail.ts";
import { withComplianceFooter } from "../templates/footer.ts";
import { isTemplateError } from "../templates/issues.ts";
import { renderMessage } from "../templates/render.ts";
import { leadForRender } from "../templates/service.ts";
import { workspaces } from "../tenants/tables.ts";
import { trackingBaseUrls } from "../tracking/domains.ts";
import { addTracking } from "../tracking/rewrite.ts";
import { buildMessage } from "./mime.ts";
import { signUnsubscribe } from "./unsubscribe-token.ts";

type Mailbox = typeof mailboxes.$inferSelect;
type SendRow = typeof sends.$inferSelect;

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
 * Claims a batch's sends (any mailboxes) and gets them ready, in one transaction and a fixed number of queries
 * whatever the batch size: claim (queued/retry → sending) first, so a redelivered job finds nothing;
 * then re-check each one (campaign running, enrolment on this step, address still mailable, postal
 * address present), render it and build its MIME. Sends that must not go are cancelled with a reason.
 */
export async function prepareBatch(
  tx: Tx,
  ctx: Ctx,
  tenantId: string,
  ids: string[],
  boxes: Map<string, Mailbox>,
): Promise<PreparedSend[]> {
  const claimed = await tx
    .update(sends)
    .set({ status: "sending", attempts: sql`${sends.attempts} + 1`, updatedAt: new Date() })
    .where(and(inArray(sends.id, ids), inArray(sends.status, ["queued", "retry"])))
    .returning();
  if (!claimed.length) return [];
  const uniq = <T>(xs: T[]) => [...new Set(xs)];
  const [cs, enrs, ls, steps, vars] = await Promise.all([
    tx
      .select()
      .from(campaigns)
      .where(inArray(campaigns.id, uniq(claimed.map((s) => s.campaignId)))),
    tx
      .select()
      .from(enrollments)
      .where(
        inArray(
          enrollments.id,
          claimed.map((s) => s.enrollmentId),
        ),
      ),
    tx
      .select()
      .from(leads)
      .where(
        inArray(
          leads.id,
          claimed.map((s) => s.leadId),
        ),
      ),
    tx
      .select()
      .from(campaignSteps)
      .where(inArray(campaignSteps.campaignId, uniq(claimed.map((s) => s.campaignId)))),
    tx
      .select()
      .from(stepVariants)
      .where(inArray(stepVariants.id, uniq(claimed.map((s) => s.variantId)))),
  ]);
  const wsIds = uniq(cs.map((c) => c.workspaceId));
  // Links and the unsubscribe URL use the workspace's verified tracking domain when it has one.
  const bases = await trackingBaseUrls(tx, ctx, wsIds);
  const wss = await tx
    .select({ id: workspaces.id, postalAddress: workspaces.postalAddress })
    .from(workspaces)
    .where(inArray(workspaces.id, wsIds));
  const custom = [...(await fieldDefs(tx, tenantId)).keys()];
  const suppressedByWs = new Map<string, Map<string, string>>();
  for (const ws of wsIds) {
    const emails = ls
      .filter((l) => claimed.some((s) => s.leadId === l.id && cs.find((c) => c.id === s.campaignId)?.workspaceId === ws))
      .map((l) => l.email);
    suppressedByWs.set(ws, await suppressedAmong(tx, tenantId, ws, emails));
  }
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  const campaignById = byId(cs);
  const enrById = byId(enrs);
  const leadById = byId(ls);
  const stepById = byId(steps);
  const varById = byId(vars);
  const wsById = new Map(wss.map((w) => [w.id, w.postalAddress]));

  const cancels = new Map<string, string>();
  const stopEnrollments = new Map<string, "stopped" | "unsubscribed" | "bounced" | "complained">();
  const ready: PreparedSend[] = [];
  for (const send of claimed) {
    const box = boxes.get(send.mailboxId ?? "")!;
    const [first, ...rest] = box.fromName.split(" ");
    const domain = box.email.slice(box.email.indexOf("@") + 1);
    const c = campaignById.get(send.campaignId);
    const enr = enrById.get(send.enrollmentId);
    const lead = leadById.get(send.leadId);
    const step = stepById.get(send.stepId);
    const variant = varById.get(send.variantId);
    if (c?.status !== "sending") cancels.set(send.id, `campaign ${c?.status ?? "deleted"}`);
    else if (enr?.status !== "active") cancels.set(send.id, `enrollment ${enr?.status ?? "deleted"}`);
    else if (!lead || !step || !variant || enr.nextPosition !== step.position) cancels.set(send.id, "step no longer current");
    else if (lead.status !== "active") {
      cancels.set(send.id, `may not mail: lead_${lead.status}`);
      stopEnrollments.set(enr.id, lead.status as "unsubscribed");
    } else if (suppressedByWs.get(c.workspaceId)?.has(lead.email)) {
      cancels.set(send.id, `may not mail: suppressed (${suppressedByWs.get(c.workspaceId)!.get(lead.email)})`);
      stopEnrollments.set(enr.id, "stopped");
    } else if (!wsById.get(c.workspaceId)) cancels.set(send.id, "workspace has no postal address");
    else {
      try {
        const rendered = renderMessage(
          { subject: variant.subject, text: variant.bodyText, html: variant.bodyHtml ?? undefined },
          {
            lead: leadForRender(lead),
            sender: { email: box.email, firstName: first ?? "", lastName: rest.join(" "), signature: box.signature ?? "" },
            seed: `${enr.id}:${step.id}`,
            knownCustomFields: custom,
          },
        );
        const token = await signUnsubscribe(ctx.config.AUTH_SECRET, { t: tenantId, w: c.workspaceId, e: lead.email, s: send.id });
        const base = bases.get(c.workspaceId) ?? ctx.config.APP_URL;
        const unsubscribeUrl = `${base}/t/u/${token}`;
        const withFooter = withComplianceFooter(rendered, { postalAddress: wsById.get(c.workspaceId)!, unsubscribeUrl });
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
        const next = steps.find((s) => s.campaignId === c.id && s.position === step.position + 1);
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
          nextStep: next ? { position: next.position, waitMinutes: next.waitMinutes } : null,
        });
      } catch (err) {
        // A template that no longer renders (e.g. a custom field was deleted) must not send half a message.
        if (!isTemplateError(err)) throw err;
        cancels.set(send.id, `template does not render: ${err.message}`.slice(0, 500));
      }
    }
  }
  for (const [id, why] of cancels)
    await tx.update(sends).set({ status: "cancelled", error: why, updatedAt: new Date() }).where(eq(sends.id, id));
  for (const [id, status] of stopEnrollments)
    await tx.update(enrollments).set({ status, nextSendAt: null, updatedAt: new Date() }).where(eq(enrollments.id, id));
  if (ready.length) {
    await tx.execute(sql`
      update sends set to_address = v.to_address, subject = v.subject, message_id = v.message_id, body_text = v.body_text
      from unnest(${sql.param(ready.map((r) => r.send.id))}::text[], ${sql.param(ready.map((r) => r.to))}::text[], ${sql.param(ready.map((r) => r.subject))}::text[],
                  ${sql.param(ready.map((r) => r.messageId))}::text[], ${sql.param(ready.map((r) => r.bodyText))}::text[])
        as v(id, to_address, subject, message_id, body_text)
      where sends.id = v.id`);
  }
  return ready;
}
