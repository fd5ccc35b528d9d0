import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgPolicy, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "../auth/tables.ts";
import { appRole, currentStaffRole, currentTenantId, currentUserId, tenantPolicy } from "../platform/rls.ts";

export const TENANT_ROLES = ["owner", "admin", "member"] as const;
export const WORKSPACE_ROLES = ["admin", "member", "viewer"] as const;

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

/** The paying organisation. Visible when it is the active tenant or the acting user belongs to it. */
export const tenants = pgTable(
  "tenants",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    status: text({ enum: ["active", "suspended"] })
      .notNull()
      .default("active"),
    plan: text().notNull().default("trial"),
    // Session policy (SPEC §3.1 tenant_policies): idle timeout and absolute lifetime for members' sessions.
    sessionIdleMinutes: integer().notNull().default(480),
    sessionMaxDays: integer().notNull().default(30),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [
    pgPolicy("tenant_self", {
      for: "all",
      to: appRole,
      using: sql`${t.id} = ${currentTenantId} or exists (select 1 from memberships m where m.tenant_id = ${t.id} and m.user_id = ${currentUserId})`,
      withCheck: sql`${t.id} = ${currentTenantId}`,
    }),
    // Staff: everyone may read; only super_admin/admin may change (suspend/unsuspend).
    pgPolicy("staff_read", { for: "select", to: appRole, using: sql`${currentStaffRole} is not null` }),
    pgPolicy("staff_write", {
      for: "update",
      to: appRole,
      using: sql`${currentStaffRole} in ('super_admin', 'admin')`,
      withCheck: sql`${currentStaffRole} in ('super_admin', 'admin')`,
    }),
  ],
).enableRLS();

/** tenant_users: a user's role in a tenant. Your own memberships are visible from any tenant (switcher). */
export const memberships = pgTable(
  "memberships",
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text({ enum: TENANT_ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index("memberships_user_idx").on(t.userId),
    pgPolicy("tenant_isolation", {
      for: "all",
      to: appRole,
      using: sql`${t.tenantId} = ${currentTenantId} or ${t.userId} = ${currentUserId}`,
      withCheck: sql`${t.tenantId} = ${currentTenantId}`,
    }),
  ],
).enableRLS();

/** A client/brand inside a tenant (the docs' `companies`). */
export const workspaces = pgTable(
  "workspaces",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text().notNull(),
    slug: text().notNull(),
    // CAN-SPAM: the sender's physical postal address, added to every campaign message; required to launch.
    postalAddress: text(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("workspaces_tenant_slug_uq").on(t.tenantId, t.slug), tenantPolicy()],
).enableRLS();

export const workspaceMembers = pgTable(
  "workspace_members",
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text({ enum: WORKSPACE_ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.userId] }),
    index("workspace_members_tenant_user_idx").on(t.tenantId, t.userId),
    tenantPolicy(),
  ],
).enableRLS();

/**
 * Invitations: token hash only. Redeeming happens before the invitee belongs to the tenant, so the
 * policy also admits the one row whose hash the transaction names in app.invite_token_hash.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text().notNull(),
    role: text({ enum: TENANT_ROLES }).notNull(),
    workspaceIds: jsonb().$type<string[]>().notNull().default([]),
    note: text(),
    tokenHash: text().notNull(),
    invitedBy: text().references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_uq").on(t.tokenHash),
    index("invitations_tenant_idx").on(t.tenantId, t.createdAt),
    pgPolicy("tenant_isolation", {
      for: "all",
      to: appRole,
      using: sql`${t.tenantId} = ${currentTenantId} or ${t.tokenHash} = nullif(current_setting('app.invite_token_hash', true), '')`,
      withCheck: sql`${t.tenantId} = ${currentTenantId}`,
    }),
  ],
).enableRLS();

/** Plan limits (SPEC decision 5): numbers live here as data, prices live in Stripe. */
export const plans = pgTable("plans", {
  slug: text().primaryKey(),
  name: text().notNull(),
  maxUsers: integer(),
  maxWorkspaces: integer(),
  maxDomains: integer(),
  emailsPerMonth: integer(),
  apiAccess: boolean().notNull().default(false),
  apiPerMinute: integer().notNull(),
  apiBurst: integer().notNull(),
  isActive: boolean().notNull().default(true),
});
