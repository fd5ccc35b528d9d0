import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "../auth/tables.ts";
import { tenantPolicy } from "../platform/rls.ts";
import { tenants, workspaces } from "../tenants/tables.ts";

export const LEAD_STATUSES = ["active", "unsubscribed", "bounced", "complained"] as const;
export const LAWFUL_BASES = ["consent", "legitimate_interest", "contract", "other"] as const;
export const FIELD_TYPES = ["text", "number", "date", "boolean", "url"] as const;

const ts = () => timestamp({ withTimezone: true });
const tenantRef = () =>
  text()
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });
const workspaceRef = () =>
  text()
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" });

/**
 * Contacts. E-mail is unique per tenant (SPEC decision 4), stored normalised (trimmed, lower-case),
 * with its domain beside it so domain-level suppression is an indexed equality.
 */
export const leads = pgTable(
  "leads",
  {
    id: text().primaryKey(),
    tenantId: tenantRef(),
    workspaceId: workspaceRef(),
    email: text().notNull(),
    emailDomain: text().notNull(),
    firstName: text(),
    lastName: text(),
    company: text(),
    title: text(),
    phone: text(),
    website: text(),
    city: text(),
    country: text(),
    timezone: text(),
    attributes: jsonb().$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    status: text({ enum: LEAD_STATUSES }).notNull().default("active"),
    source: text(),
    consentBasis: text({ enum: LAWFUL_BASES }),
    consentSource: text(),
    consentCollectedAt: ts(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("leads_tenant_email_uq").on(t.tenantId, t.email),
    // Cursor pagination: newest first within a workspace, id breaks ties.
    index("leads_tenant_ws_created_idx").on(t.tenantId, t.workspaceId, t.createdAt.desc(), t.id.desc()),
    index("leads_tenant_status_idx").on(t.tenantId, t.status),
    tenantPolicy(),
  ],
).enableRLS();

export const leadLists = pgTable(
  "lead_lists",
  {
    id: text().primaryKey(),
    tenantId: tenantRef(),
    workspaceId: workspaceRef(),
    name: text().notNull(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [uniqueIndex("lead_lists_ws_name_uq").on(t.tenantId, t.workspaceId, sql`lower(${t.name})`), tenantPolicy()],
).enableRLS();

export const leadListMembers = pgTable(
  "lead_list_members",
  {
    tenantId: tenantRef(),
    listId: text()
      .notNull()
      .references(() => leadLists.id, { onDelete: "cascade" }),
    leadId: text()
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    addedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.leadId] }), index("lead_list_members_lead_idx").on(t.tenantId, t.leadId), tenantPolicy()],
).enableRLS();

/** Tenant-defined custom attributes: the keys and types `attributes` may hold. */
export const leadFields = pgTable(
  "lead_fields",
  {
    tenantId: tenantRef(),
    key: text().notNull(),
    label: text().notNull(),
    type: text({ enum: FIELD_TYPES }).notNull(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] }), tenantPolicy()],
).enableRLS();

export const IMPORT_STATUSES = ["uploaded", "validating", "importing", "completed", "failed", "cancelled"] as const;

/**
 * A CSV import. Progress and the resume point (`byte_offset`, `rows_read`) are committed in the same
 * transaction as each batch of rows, so a crashed consumer resumes exactly after the last batch.
 */
export const leadImports = pgTable(
  "lead_imports",
  {
    id: text().primaryKey(),
    tenantId: tenantRef(),
    workspaceId: workspaceRef(),
    objectKey: text().notNull(),
    filename: text().notNull(),
    sizeBytes: bigint({ mode: "number" }).notNull(),
    status: text({ enum: IMPORT_STATUSES }).notNull().default("uploaded"),
    phase: text({ enum: ["validate", "import"] }),
    mapping: jsonb().$type<Record<string, string>>(),
    options: jsonb().$type<{ duplicates: "skip" | "update"; listId?: string | null; importValidRows: boolean; delimiter?: string }>(),
    headers: jsonb().$type<string[]>(),
    totalRows: integer(),
    byteOffset: bigint({ mode: "number" }).notNull().default(0),
    rowsRead: integer().notNull().default(0),
    rowsImported: integer().notNull().default(0),
    rowsUpdated: integer().notNull().default(0),
    rowsSkipped: integer().notNull().default(0),
    rowsFailed: integer().notNull().default(0),
    rowsSuppressed: integer().notNull().default(0),
    error: text(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: ts().notNull().defaultNow(),
    startedAt: ts(),
    finishedAt: ts(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [index("lead_imports_tenant_created_idx").on(t.tenantId, t.createdAt), tenantPolicy()],
).enableRLS();

/** Per-row problems, for the downloadable error report. (import, row) is unique: a retried batch rewrites nothing. */
export const leadImportErrors = pgTable(
  "lead_import_errors",
  {
    tenantId: tenantRef(),
    importId: text()
      .notNull()
      .references(() => leadImports.id, { onDelete: "cascade" }),
    rowNumber: integer().notNull(),
    kind: text({ enum: ["invalid", "suppressed", "duplicate"] }).notNull(),
    reason: text().notNull(),
    email: text(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNumber] }), tenantPolicy()],
).enableRLS();
