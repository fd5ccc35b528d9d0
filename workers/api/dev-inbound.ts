import { Hono } from "hono";
import { processInbound } from "../inbound/process.ts";
import { devOutboxEnabled } from "../mailer/queries.ts";
import { AppError } from "../platform/errors.ts";
import type { AppEnv } from "./types.ts";

/**
 * Local stand-in for Cloudflare Email Routing: POST a raw .eml to /api/dev/inbound and it goes
 * through the same processing as the Worker's email() handler (`npm run inbound -- file.eml`).
 * Exists only on a local setup (same rule as the dev outbox).
 */
export const devInboundRoutes = new Hono<AppEnv>().post("/", async (c) => {
  if (!devOutboxEnabled(c.var.ctx)) throw new AppError("NOT_FOUND", "No such route.");
  const raw = await c.req.text();
  if (!raw.trim()) throw new AppError("BAD_REQUEST", "Send the raw message as the request body.");
  return c.json(await processInbound(c.var.ctx, raw, { from: c.req.query("from"), to: c.req.query("to") }));
});
