import { sql } from "drizzle-orm";
import { index, pgPolicy, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "../auth/tables.ts";
import { appRole, currentTenantId } from "../platform/rls.ts";
import { tenants } from "../tenants/tables.ts";

/**
 * API keys: `pm_live_<32 chars>`, shown once; stored as SHA-256 (the key has 190 bits of entropy,
 * so a slow hash adds nothing) plus a visible prefix. Bearer auth looks a key up by hash before any
 * tenant is known, so the policy also admits the row whose hash the tx names in app.api_key_hash.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text().notNull(),
    prefix: text().notNull(),
    keyHash: text().notNull(),
    scopes: text().array().notNull(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("api_keys_hash_uq").on(t.keyHash),
    index("api_keys_tenant_idx").on(t.tenantId, t.createdAt),
    pgPolicy("tenant_isolation", {
      for: "all",
      to: appRole,
      using: sql`${t.tenantId} = ${currentTenantId} or ${t.keyHash} = nullif(current_setting('app.api_key_hash', true), '')`,
      withCheck: sql`${t.tenantId} = ${currentTenantId}`,
    }),
  ],
).enableRLS();
