import { boolean, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenantPolicy } from "../platform/rls.ts";
import { tenants } from "../tenants/tables.ts";

export const INBOX_CATEGORIES = [
  "interested",
  "not_interested",
  "meeting_booked",
  "out_of_office",
  "wrong_person",
  "unsubscribe_request",
  "other",
] as const;

/** One conversation with a lead (per campaign send thread), across all of a tenant's mailboxes. */
export const inboxThreads = pgTable(
  "inbox_threads",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    workspaceId: text().notNull(),
    campaignId: text(),
    leadId: text(),
    mailboxId: text(),
    rootSendId: text(),
    subject: text().notNull(),
    participant: text().notNull(),
    status: text({ enum: ["open", "archived"] })
      .notNull()
      .default("open"),
    category: text({ enum: INBOX_CATEGORIES }),
    unread: boolean().notNull().default(true),
    assignedTo: text(),
    lastMessageAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("inbox_threads_root_send_uq").on(t.tenantId, t.rootSendId),
    index("inbox_threads_tenant_last_idx").on(t.tenantId, t.status, t.lastMessageAt),
    tenantPolicy(),
  ],
).enableRLS();

export const inboxMessages = pgTable(
  "inbox_messages",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    threadId: text()
      .notNull()
      .references(() => inboxThreads.id, { onDelete: "cascade" }),
    direction: text({ enum: ["in", "out"] }).notNull(),
    fromAddress: text().notNull(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    messageId: text(),
    inReplyTo: text(),
    auto: boolean().notNull().default(false),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("inbox_messages_thread_idx").on(t.threadId, t.at),
    uniqueIndex("inbox_messages_mid_uq").on(t.tenantId, t.messageId),
    tenantPolicy(),
  ],
).enableRLS();
