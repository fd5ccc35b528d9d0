import { sql } from "drizzle-orm";
import { index, pgPolicy, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { appRole, currentStaffRole, currentTenantId } from "../platform/rls.ts";
import { tenants, workspaces } from "../tenants/tables.ts";

export const SUPPRESSION_SCOPES = ["global", "tenant", "workspace"] as const;
export const SUPPRESSION_REASONS = ["unsubscribed", "hard_bounce", "complaint", "manual", "imported", "abuse"] as const;

/**
 * Addresses (or whole domains) we must not mail. Global rows (platform: complaints, abuse) have no
 * tenant and are readable by every tenant; only staff write them. Tenant and workspace rows are
 * the tenant's own. `value` is a normalised address or a bare domain (`competitor.com`).
 */
export const suppressions = pgTable(
  "suppressions",
  {
    id: text().primaryKey(),
    scope: text({ enum: SUPPRESSION_SCOPES }).notNull(),
    tenantId: text().references(() => tenants.id, { onDelete: "cascade" }),
    workspaceId: text().references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text({ enum: ["address", "domain"] }).notNull(),
    value: text().notNull(),
    reason: text({ enum: SUPPRESSION_REASONS }).notNull(),
    note: text(),
    createdBy: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("suppressions_scope_value_uq").on(t.scope, sql`coalesce(${t.tenantId}, '')`, sql`coalesce(${t.workspaceId}, '')`, t.value),
    index("suppressions_value_idx").on(t.value),
    index("suppressions_tenant_created_idx").on(t.tenantId, t.createdAt),
    pgPolicy("tenant_isolation", {
      for: "all",
      to: appRole,
      using: sql`${t.tenantId} = ${currentTenantId}`,
      withCheck: sql`${t.tenantId} = ${currentTenantId} and ${t.scope} <> 'global'`,
    }),
    pgPolicy("global_read", { for: "select", to: appRole, using: sql`${t.scope} = 'global'` }),
    pgPolicy("staff_global_write", {
      for: "all",
      to: appRole,
      using: sql`${t.scope} = 'global' and ${currentStaffRole} in ('super_admin', 'admin')`,
      withCheck: sql`${t.scope} = 'global' and ${t.tenantId} is null and ${currentStaffRole} in ('super_admin', 'admin')`,
    }),
  ],
).enableRLS();
