import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { staffReadPolicy, tenantPolicy } from "../platform/rls.ts";
import { tenants } from "../tenants/tables.ts";

/** Append-only record of security-relevant and state-changing actions, written in the same tx. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    actorUserId: text(),
    actorKind: text({ enum: ["user", "api_key", "system", "staff"] }).notNull(),
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    summary: jsonb().$type<Record<string, unknown>>(),
    ip: text(),
    userAgent: text(),
    requestId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_log_tenant_created_idx").on(t.tenantId, t.createdAt), tenantPolicy(), staffReadPolicy()],
).enableRLS();
