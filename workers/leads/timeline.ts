import { and, desc, eq, ne, or, sql } from "drizzle-orm";
import { requirePermission } from "../auth/permissions.ts";
import { campaignSteps, campaigns, type EVENT_TYPES, emailEvents, type SEND_STATUSES, sends } from "../campaigns/tables.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { getLead } from "./service.ts";

export const TIMELINE_LIMIT = 100;

interface Common {
  id: string;
  at: string;
  campaignId: string | null;
  /** null when the campaign was deleted (events outlive it: email_events.campaign_id is not a foreign key). */
  campaignName: string | null;
  step: number | null;
}
export type TimelineItem =
  | (Common & {
      kind: "send";
      status: (typeof SEND_STATUSES)[number];
      subject: string | null;
      to: string | null;
      error: string | null;
    })
  | (Common & {
      kind: "event";
      type: (typeof EVENT_TYPES)[number];
      /** Why a tracking hit was flagged as machine traffic (link scanner, proxy prefetch), or null for a person. */
      machine: string | null;
      url: string | null;
      auto: boolean;
      bounceClass: string | null;
      diagnostic: string | null;
      feedbackType: string | null;
    });

const str = (v: unknown) => (typeof v === "string" && v ? v : null);

/**
 * One lead's campaign history, newest first: every send (queued, sent, bounced…) and every event
 * (opened, clicked, replied, bounced, unsubscribed, complained). A "sent" event duplicates its send
 * row, so it is shown only when the send itself is gone.
 */
export async function leadTimeline(ctx: Ctx, leadId: string): Promise<TimelineItem[]> {
  requirePermission(ctx, "leads:read");
  // Tenant + workspace visibility (NOT_FOUND otherwise), before anything is read by lead_id.
  const lead = await getLead(ctx, leadId);
  const tenantId = ctx.tenant!.id;
  return withTx(ctx, async (tx) => {
    const sendRows = await tx
      .select({
        id: sends.id,
        at: sql<Date>`coalesce(${sends.sentAt}, ${sends.queuedAt})`.mapWith(sends.queuedAt),
        campaignId: sends.campaignId,
        campaignName: campaigns.name,
        step: campaignSteps.position,
        status: sends.status,
        subject: sends.subject,
        to: sends.toAddress,
        error: sends.error,
      })
      .from(sends)
      .leftJoin(campaigns, eq(campaigns.id, sends.campaignId))
      .leftJoin(campaignSteps, eq(campaignSteps.id, sends.stepId))
      .where(and(eq(sends.tenantId, tenantId), eq(sends.leadId, lead.id)))
      .orderBy(desc(sql`coalesce(${sends.sentAt}, ${sends.queuedAt})`), desc(sends.id))
      .limit(TIMELINE_LIMIT);
    const eventRows = await tx
      .select({
        id: emailEvents.id,
        at: emailEvents.at,
        type: emailEvents.type,
        meta: emailEvents.meta,
        // Unsubscribe events carry only the send; take the campaign and step from it.
        campaignId: sql<string | null>`coalesce(${emailEvents.campaignId}, ${sends.campaignId})`,
        campaignName: campaigns.name,
        step: campaignSteps.position,
      })
      .from(emailEvents)
      .leftJoin(sends, eq(sends.id, emailEvents.sendId))
      .leftJoin(campaigns, eq(campaigns.id, sql`coalesce(${emailEvents.campaignId}, ${sends.campaignId})`))
      .leftJoin(campaignSteps, eq(campaignSteps.id, sends.stepId))
      .where(
        and(
          eq(emailEvents.tenantId, tenantId),
          eq(emailEvents.leadId, lead.id),
          or(ne(emailEvents.type, "sent"), sql`${sends.id} is null`),
        ),
      )
      .orderBy(desc(emailEvents.at), desc(emailEvents.id))
      .limit(TIMELINE_LIMIT);

    const items: TimelineItem[] = [
      ...sendRows.map((r) => ({ ...r, kind: "send" as const, at: r.at.toISOString() })),
      ...eventRows.map(({ meta, ...r }) => {
        const m = meta ?? {};
        return {
          ...r,
          kind: "event" as const,
          at: r.at.toISOString(),
          machine: str(m.machine),
          url: str(m.url),
          auto: m.auto === true,
          bounceClass: str(m.class) ?? (m.hard === true ? "hard" : null),
          diagnostic: str(m.diagnostic) ?? str(m.message),
          feedbackType: str(m.feedbackType),
        };
      }),
    ];
    // Newest first; on a tie (a send and its bounce share `now`) the event comes first, as it happened after.
    items.sort((a, b) => b.at.localeCompare(a.at) || (a.kind === b.kind ? 0 : a.kind === "event" ? -1 : 1));
    return items.slice(0, TIMELINE_LIMIT);
  });
}
