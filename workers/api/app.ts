import { Hono } from "hono";
import { parseConfig } from "../platform/config.ts";
import { buildCtx } from "../platform/context.ts";
import { AppError, toErrorBody } from "../platform/errors.ts";
import { createLogger } from "../platform/log.ts";
import { clientIp, requestIdFrom } from "../platform/request.ts";
import { healthRoutes } from "./health.ts";
import type { AppEnv } from "./types.ts";

/**
 * The HTTP shell: request id → per-request context → routes. Every error leaves through onError
 * as the one envelope; unknown errors are logged with the request id and answered generically.
 */
export const api = new Hono<AppEnv>();

api.use("*", async (c, next) => {
  const requestId = requestIdFrom(c.req.raw);
  c.set("requestId", requestId);
  c.header("x-request-id", requestId);
  const config = parseConfig(c.env);
  const log = createLogger({ requestId }, config.LOG_LEVEL);
  const ctx = buildCtx({
    requestId,
    config,
    log,
    ip: clientIp(c.req.raw),
    userAgent: c.req.header("user-agent") ?? null,
    waitUntil: (p) => c.executionCtx.waitUntil(p),
  });
  c.set("ctx", ctx);
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(ctx.dispose());
  }
});

api.route("/api/health", healthRoutes);

api.notFound((c) => {
  const { status, body } = toErrorBody(new AppError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`), c.var.requestId ?? "");
  return c.json(body, status as 404);
});

api.onError((err, c) => {
  const requestId = c.var.requestId ?? requestIdFrom(c.req.raw);
  const { status, body } = toErrorBody(err, requestId);
  if (status >= 500) {
    createLogger({ requestId }).error("request.failed", { error: err, path: c.req.path, method: c.req.method });
  }
  if (err instanceof AppError && err.details?.retryAfterSeconds) c.header("retry-after", String(err.details.retryAfterSeconds));
  return c.json(body, status as 500);
});
