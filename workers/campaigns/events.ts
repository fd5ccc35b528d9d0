import { z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { requirePermission } from "../auth/permissions.ts";
import { type Ctx, requireTenant, withTx } from "../platform/context.ts";
import { afterCursor, cursorTs, encodeCursor } from "../platform/cursor.ts";
import { requireWorkspaceRole } from "../tenants/access.ts";
import { loadCampaign } from "./service.ts";
import { campaigns, EVENT_TYPES, emailEvents } from "./tables.ts";

/**
 * The event stream behind every count: what happened to each e-mail (sent, opened, clicked,
 * replied, bounced, complained, unsubscribed), newest first, for `GET /api/v1/events`. Machine opens
 * and clicks are listed with `machine` set (they are never counted); auto-replies with `auto`.
 */
export const EventsQuery = z.object({
  campaignId: z.string().max(64).optional(),
  workspaceId: z.string().max(64).optional(),
  leadId: z.string().max(64).optional(),
  sendId: z.string().max(64).optional(),
  type: z.enum(EVENT_TYPES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(200).optional().openapi({ description: "nextCursor from the previous page" }),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

export const EventDto = z
  .object({
    id: z.string(),
    type: z.enum(EVENT_TYPES),
    at: z.string(),
    campaignId: z.string().nullable(),
    workspaceId: z.string().nullable(),
    sendId: z.string().nullable(),
    leadId: z.string().nullable(),
    machine: z
      .string()
      .nullable()
      .openapi({ description: "Why an open or click is machine traffic (not counted): scanner_ua, apple_mpp, too_fast, head_request" }),
    auto: z.boolean().openapi({ description: "An automatic reply (out of office, autoresponder): recorded, not counted as a reply" }),
    url: z.string().nullable().openapi({ description: "The link a click went to" }),
    bounce: z
      .object({ class: z.string().nullable(), status: z.string().nullable(), diagnostic: z.string().nullable(), delayed: z.boolean() })
      .nullable(),
    undone: z.boolean().openapi({ description: "An unsubscribe event that records the person resubscribing" }),
  })
  .openapi("EmailEvent");
export type EventDto = z.infer<typeof EventDto>;

const str = (v: unknown) => (typeof v === "string" ? v : null);

export async function listEvents(ctx: Ctx, q: EventsQuery): Promise<{ items: EventDto[]; nextCursor: string | null }> {
  requirePermission(ctx, "campaigns:read");
  const tenant = requireTenant(ctx);
  const rows = await withTx(ctx, async (tx) => {
    // A named workspace or campaign must be one the caller may see (a 404 otherwise, as elsewhere).
    if (q.workspaceId) await requireWorkspaceRole(tx, ctx, q.workspaceId, "viewer");
    if (q.campaignId) await loadCampaign(tx, ctx, q.campaignId, "viewer");
    return tx
      .select({ e: emailEvents, workspaceId: campaigns.workspaceId, ts: cursorTs(emailEvents.at) })
      .from(emailEvents)
      .leftJoin(campaigns, eq(campaigns.id, emailEvents.campaignId))
      .where(
        and(
          eq(emailEvents.tenantId, tenant.id),
          q.campaignId ? eq(emailEvents.campaignId, q.campaignId) : undefined,
          q.workspaceId ? eq(campaigns.workspaceId, q.workspaceId) : undefined,
          q.leadId ? eq(emailEvents.leadId, q.leadId) : undefined,
          q.sendId ? eq(emailEvents.sendId, q.sendId) : undefined,
          q.type ? eq(emailEvents.type, q.type) : undefined,
          afterCursor(emailEvents.at, emailEvents.id, q.before),
        ),
      )
      .orderBy(desc(emailEvents.at), desc(emailEvents.id))
      .limit(q.limit + 1);
  });
  const page = rows.slice(0, q.limit);
  return {
    items: page.map(({ e, workspaceId }) => {
      const m = e.meta ?? {};
      return {
        id: e.id,
        type: e.type,
        at: e.at.toISOString(),
        campaignId: e.campaignId,
        workspaceId: workspaceId ?? null,
        sendId: e.sendId,
        leadId: e.leadId,
        machine: str(m.machine),
        auto: m.auto === true,
        url: str(m.url),
        bounce:
          e.type === "bounced"
            ? { class: str(m.class), status: str(m.status), diagnostic: str(m.diagnostic), delayed: m.delayed === true }
            : null,
        undone: m.undone === true,
      };
    }),
    nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!.ts, page.at(-1)!.e.id) : null,
  };
}
