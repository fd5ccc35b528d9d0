import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenantPolicy } from "../platform/rls.ts";
import { tenants, workspaces } from "../tenants/tables.ts";

/** Message templates per workspace, in folders and with tags. Saved only when they validate without errors. */
export const templates = pgTable(
  "templates",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    folder: text(),
    tags: text().array().notNull().default([]),
    subject: text().notNull(),
    bodyText: text().notNull(),
    bodyHtml: text(),
    createdBy: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("templates_ws_name_uq").on(t.tenantId, t.workspaceId, sql`lower(${t.name})`),
    index("templates_tenant_ws_idx").on(t.tenantId, t.workspaceId, t.updatedAt),
    tenantPolicy(),
  ],
).enableRLS();
