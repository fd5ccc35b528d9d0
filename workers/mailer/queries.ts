import { desc } from "drizzle-orm";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { platformMail } from "./tables.ts";

/** The dev outbox: only outside production, where no relay is configured and mail is captured. */
export async function listDevOutbox(ctx: Ctx, limit = 50) {
  if (ctx.config.APP_ENV === "production") throw new AppError("NOT_FOUND", "No such page.");
  return runInTx(ctx.db, { tenantId: null }, (tx) => tx.select().from(platformMail).orderBy(desc(platformMail.createdAt)).limit(limit));
}
