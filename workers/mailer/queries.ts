import { desc } from "drizzle-orm";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { platformMail } from "./tables.ts";

/**
 * The dev outbox shows everyone's captured reset and invitation links, so it exists only on a local
 * setup: not production, no relay configured, and an APP_URL on localhost.
 */
export function devOutboxEnabled(ctx: Ctx): boolean {
  const host = new URL(ctx.config.APP_URL).hostname;
  return (
    ctx.config.APP_ENV !== "production" && !ctx.config.SMTP_RELAY_URL && (host === "127.0.0.1" || host === "localhost" || host === "[::1]")
  );
}

export async function listDevOutbox(ctx: Ctx, limit = 50) {
  if (!devOutboxEnabled(ctx)) throw new AppError("NOT_FOUND", "No such page.");
  return runInTx(ctx.db, { tenantId: null }, (tx) => tx.select().from(platformMail).orderBy(desc(platformMail.createdAt)).limit(limit));
}
