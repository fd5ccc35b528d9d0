import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Platform (transactional) mail: verification, reset, invitations. Every message is recorded; with
 * no SMTP relay configured (local dev) it stays `captured` and shows in the dev outbox page.
 * Platform-wide, no tenant_id: these go to people, sometimes before they belong to any tenant.
 */
export const platformMail = pgTable(
  "platform_mail",
  {
    id: text().primaryKey(),
    kind: text().notNull(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    html: text(),
    status: text({ enum: ["captured", "queued", "sent", "failed"] }).notNull(),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("platform_mail_created_idx").on(t.createdAt)],
);
