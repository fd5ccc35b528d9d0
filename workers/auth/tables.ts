import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * Identity is platform-wide (a user may belong to several tenants), so users and sessions carry
 * no tenant_id and no RLS; code reaches them only by id, normalised e-mail or token hash.
 */
export const users = pgTable(
  "users",
  {
    id: text().primaryKey(),
    email: text().notNull(),
    name: text().notNull(),
    // PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash) so parameters can be raised later.
    passwordHash: text().notNull(),
    emailVerifiedAt: timestamp({ withTimezone: true }),
    failedSignIns: integer().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("users_email_uq").on(sql`lower(${t.email})`)],
);

/** Server-side sessions: the cookie holds an opaque token; only its SHA-256 is stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    tokenHash: text().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    activeTenantId: text(),
    ip: text(),
    userAgent: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("sessions_token_hash_uq").on(t.tokenHash), index("sessions_user_idx").on(t.userId)],
);

/**
 * Single-use e-mail tokens (verify 24 h, reset 1 h, change-email 24 h). Only the SHA-256 is kept;
 * used_at is set in the same statement that checks it, so a token cannot be redeemed twice.
 */
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text({ enum: ["verify_email", "reset_password", "change_email"] }).notNull(),
    tokenHash: text().notNull(),
    newEmail: text(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("email_tokens_hash_uq").on(t.tokenHash), index("email_tokens_user_idx").on(t.userId, t.purpose)],
);

/** PenguinMails staff (platform roles), bootstrapped with `npm run staff:grant`. */
export const staffMembers = pgTable("staff_members", {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  role: text({ enum: ["super_admin", "admin", "support", "qa"] }).notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
