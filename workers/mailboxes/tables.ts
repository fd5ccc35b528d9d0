import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { infraNodes, sendingDomains } from "../infra/tables.ts";
import { tenantPolicy } from "../platform/rls.ts";
import { tenants, workspaces } from "../tenants/tables.ts";

/**
 * Sending accounts. Credentials are stored only envelope-encrypted (platform/secrets.ts). Hosted
 * MailU mailboxes use the same rows with provider "mailu".
 */
export const mailboxes = pgTable(
  "mailboxes",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    provider: text({ enum: ["smtp", "mailu"] })
      .notNull()
      .default("smtp"),
    email: text().notNull(),
    fromName: text().notNull(),
    signature: text(),
    smtpHost: text().notNull(),
    smtpPort: integer().notNull(),
    smtpSecurity: text({ enum: ["starttls", "tls", "none"] }).notNull(),
    smtpUsername: text().notNull(),
    smtpPasswordEnc: text().notNull(),
    imapHost: text(),
    imapPort: integer(),
    imapUsername: text(),
    imapPasswordEnc: text(),
    dailyLimit: integer().notNull().default(50),
    minGapSeconds: integer().notNull().default(120),
    timezone: text().notNull().default("UTC"),
    status: text({ enum: ["active", "paused", "error"] })
      .notNull()
      .default("active"),
    statusReason: text(),
    /** Hosted (provider "mailu"): the node and domain it lives on; deleting it removes the MailU user. */
    nodeId: text().references(() => infraNodes.id, { onDelete: "set null" }),
    domainId: text().references(() => sendingDomains.id, { onDelete: "set null" }),
    lastTest: jsonb().$type<{ ok: boolean; at: string; phase?: string; message: string; transcript: string[] }>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("mailboxes_tenant_email_uq").on(t.tenantId, t.email),
    index("mailboxes_tenant_ws_idx").on(t.tenantId, t.workspaceId),
    tenantPolicy(),
  ],
).enableRLS();
