import { Hono } from "hono";
import { pingDb } from "../platform/db.ts";
import type { AppEnv } from "./types.ts";

/** Liveness plus a real round trip through the production driver; a dead database is a 503, not a crash. */
export const healthRoutes = new Hono<AppEnv>().get("/", async (c) => {
  const ctx = c.var.ctx;
  const up = await pingDb(ctx.db, ctx.config.DB_HEALTH_TIMEOUT_MS);
  const body = { status: up ? "ok" : "degraded", db: up ? "up" : "down", version: ctx.config.APP_VERSION } as const;
  c.header("cache-control", "no-store");
  return c.json(body, up ? 200 : 503);
});
