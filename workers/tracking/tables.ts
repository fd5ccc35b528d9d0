import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenantPolicy } from "../platform/rls.ts";
import { tenants, workspaces } from "../tenants/tables.ts";

/**
 * Custom tracking domains (e.g. track.acme.com): a CNAME to the platform's tracking host, checked
 * over DNS-over-HTTPS before use. A hostname belongs to one workspace platform-wide.
 */
export const trackingDomains = pgTable(
  "tracking_domains",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    hostname: text().notNull(),
    status: text({ enum: ["pending", "verified", "failed"] })
      .notNull()
      .default("pending"),
    lastError: text(),
    checkedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Only a verified host is exclusive: a pending row cannot squat a host another tenant proves it owns.
    uniqueIndex("tracking_domains_verified_host_uq").on(t.hostname).where(sql`status = 'verified'`),
    uniqueIndex("tracking_domains_ws_host_uq").on(t.workspaceId, t.hostname),
    index("tracking_domains_ws_idx").on(t.tenantId, t.workspaceId),
    tenantPolicy(),
  ],
).enableRLS();
