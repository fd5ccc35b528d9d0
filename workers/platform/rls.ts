import { sql } from "drizzle-orm";
import { pgPolicy, pgRole } from "drizzle-orm/pg-core";

/**
 * Row-level security building blocks. The role is created by the custom migration 0000_roles;
 * every tenant-owned table gets `tenantPolicy()` and `.enableRLS()`.
 *
 * Settings are read with nullif(…, '') because after a transaction-local set_config the GUC reads
 * back as '' (not NULL) on that pooled connection (TOOLCHAIN.md G9); unset → no rows match.
 */
export const appRole = pgRole("pm_app").existing();

export const currentTenantId = sql`nullif(current_setting('app.tenant_id', true), '')`;
export const currentUserId = sql`nullif(current_setting('app.user_id', true), '')`;

/** Rows are visible and writable only inside a transaction whose app.tenant_id matches. */
export const tenantPolicy = () =>
  pgPolicy("tenant_isolation", {
    as: "permissive",
    for: "all",
    to: appRole,
    using: sql`tenant_id = ${currentTenantId}`,
    withCheck: sql`tenant_id = ${currentTenantId}`,
  });

/** Set only by withStaffTx after staff_members confirmed the role; lets staff read across tenants. */
export const currentStaffRole = sql`nullif(current_setting('app.staff_role', true), '')`;

/** An extra permissive SELECT policy for platform staff (support, admins) on a tenant-owned table. */
export const staffReadPolicy = () =>
  pgPolicy("staff_read", { as: "permissive", for: "select", to: appRole, using: sql`${currentStaffRole} is not null` });
