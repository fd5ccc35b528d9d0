import { sql } from "drizzle-orm";
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { leads } from "../leads/tables.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import { tenantPolicy } from "../platform/rls.ts";
import { tenants, workspaces } from "../tenants/tables.ts";

export const CAMPAIGN_STATUSES = ["draft", "scheduled", "sending", "paused", "completed"] as const;
export const STEP_CONDITIONS = ["always", "not_replied", "not_opened", "not_clicked"] as const;

const tenantRef = () =>
  text()
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });
const ts = () => timestamp({ withTimezone: true });

export interface CampaignSchedule {
  days: number[];
  startMinute: number;
  endMinute: number;
  /** An IANA zone, or "lead" to send in each lead's own zone (falling back to fallbackTimezone). */
  timezone: string;
  fallbackTimezone: string;
  startAt: string | null;
}

export const campaigns = pgTable(
  "campaigns",
  {
    id: text().primaryKey(),
    tenantId: tenantRef(),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    status: text({ enum: CAMPAIGN_STATUSES }).notNull().default("draft"),
    schedule: jsonb().$type<CampaignSchedule>().notNull(),
    mailboxIds: text().array().notNull().default([]),
    listIds: text().array().notNull().default([]),
    // Open tracking on by default (reported as approximate); click tracking off: rewritten links
    // hurt cold-mail deliverability, so users opt in.
    trackOpens: boolean().notNull().default(true),
    trackClicks: boolean().notNull().default(false),
    launchedAt: ts(),
    completedAt: ts(),
    stoppedAt: ts(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [index("campaigns_tenant_ws_idx").on(t.tenantId, t.workspaceId, t.createdAt), tenantPolicy()],
).enableRLS();

/** Up to 7 e-mail steps; `waitMinutes` counts from the previous step's send (step 1: from launch). */
export const campaignSteps = pgTable(
  "campaign_steps",
  {
    id: text().primaryKey(),
    tenantId: tenantRef(),
    campaignId: text()
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    position: integer().notNull(),
    waitMinutes: integer().notNull().default(0),
    condition: text({ enum: STEP_CONDITIONS }).notNull().default("always"),
  },
  (t) => [uniqueIndex("campaign_steps_position_uq").on(t.campaignId, t.position), tenantPolicy()],
).enableRLS();

/** A/B variants of a step (1–5, even split); content is copied in so a running send never changes under it. */
export const stepVariants = pgTable(
  "step_variants",
  {
    id: text().primaryKey(),
    tenantId: tenantRef(),
    stepId: text()
      .notNull()
      .references(() => campaignSteps.id, { onDelete: "cascade" }),
    label: text().notNull(),
    templateId: text(),
    subject: text().notNull(),
    bodyText: text().notNull(),
    bodyHtml: text(),
  },
  (t) => [index("step_variants_step_idx").on(t.stepId), tenantPolicy()],
).enableRLS();

export const ENROLLMENT_STATUSES = [
  "active",
  "completed",
  "stopped",
  "replied",
  "bounced",
  "unsubscribed",
  "complained",
  "failed",
] as const;

/**
 * One per (campaign, lead). `next_send_at` is the index the scheduler reads: due enrolments are
 * found with it, never by scanning; NULL while a send is in flight or when nothing is planned.
 */
export const enrollments = pgTable(
  "enrollments",
  {
    id: text().primaryKey(),
    tenantId: tenantRef(),
    campaignId: text()
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    leadId: text()
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    status: text({ enum: ENROLLMENT_STATUSES }).notNull().default("active"),
    nextPosition: integer().notNull().default(1),
    nextSendAt: ts(),
    lastSentAt: ts(),
    lastDomain: text(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("enrollments_campaign_lead_uq").on(t.campaignId, t.leadId),
    index("enrollments_due_idx").on(t.campaignId, t.nextSendAt).where(sql`status = 'active' and next_send_at is not null`),
    tenantPolicy(),
  ],
).enableRLS();

export const SEND_STATUSES = ["queued", "sending", "sent", "retry", "requeue", "bounced", "unknown", "cancelled", "failed"] as const;

/**
 * One row per (enrolment, step) — the idempotency key, claimed before any SMTP traffic. A
 * redelivered job finds the row past `queued` and does nothing; `unknown` (connection lost after the
 * message was handed over) is never resent automatically.
 */
export const sends = pgTable(
  "sends",
  {
    id: text().primaryKey(),
    tenantId: tenantRef(),
    campaignId: text()
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    enrollmentId: text()
      .notNull()
      .references(() => enrollments.id, { onDelete: "cascade" }),
    leadId: text().notNull(),
    stepId: text().notNull(),
    variantId: text().notNull(),
    mailboxId: text().references(() => mailboxes.id, { onDelete: "set null" }),
    idempotencyKey: text().notNull(),
    status: text({ enum: SEND_STATUSES }).notNull().default("queued"),
    attempts: integer().notNull().default(0),
    messageId: text(),
    toAddress: text(),
    subject: text(),
    // The rendered plain-text body as sent (inbox threads show it; retention per SPEC decision 13).
    bodyText: text(),
    smtpResponse: text(),
    error: text(),
    queuedAt: ts().notNull().defaultNow(),
    sentAt: ts(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sends_idempotency_uq").on(t.idempotencyKey),
    // No index here leads with tenant_id. The row-level security qual (tenant_id = the session's
    // tenant) would make any such index a candidate for the consumer's claim-by-id, and while a
    // fresh table has no statistics the planner prefers it to the primary key — scanning every
    // queued send of the tenant for each batch. Campaign and lead ids already imply the tenant.
    index("sends_campaign_status_idx").on(t.campaignId, t.status),
    index("sends_mailbox_sent_idx").on(t.mailboxId, t.sentAt),
    index("sends_lead_idx").on(t.leadId),
    // The monthly plan quota (sent this month per tenant); partial, so it never matches a claim.
    index("sends_tenant_sent_idx").on(t.tenantId, t.sentAt).where(sql`status = 'sent'`),
    tenantPolicy(),
  ],
).enableRLS();

export const EVENT_TYPES = ["sent", "delivered", "opened", "clicked", "replied", "bounced", "complained", "unsubscribed"] as const;

export const emailEvents = pgTable(
  "email_events",
  {
    id: text().primaryKey(),
    tenantId: tenantRef(),
    campaignId: text(),
    sendId: text(),
    leadId: text(),
    type: text({ enum: EVENT_TYPES }).notNull(),
    at: ts().notNull().defaultNow(),
    meta: jsonb().$type<Record<string, unknown>>(),
  },
  (t) => [
    index("email_events_campaign_idx").on(t.tenantId, t.campaignId, t.type),
    index("email_events_lead_idx").on(t.tenantId, t.leadId, t.at),
    // The overview's 14-day activity chart reads a tenant's events by time.
    index("email_events_tenant_at_idx").on(t.tenantId, t.at),
    tenantPolicy(),
  ],
).enableRLS();

/** Per-day counters for dashboards; only events not flagged as machine traffic are counted. */
export const campaignDailyStats = pgTable(
  "campaign_daily_stats",
  {
    tenantId: tenantRef(),
    campaignId: text().notNull(),
    day: date().notNull(),
    type: text({ enum: EVENT_TYPES }).notNull(),
    count: integer().notNull().default(0),
    uniqueCount: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.campaignId, t.day, t.type] }), tenantPolicy()],
).enableRLS();
