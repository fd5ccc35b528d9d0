import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { parseConfig } from "../platform/config.ts";
import { buildCtx } from "../platform/context.ts";
import { AppError, toErrorBody } from "../platform/errors.ts";
import { createLogger } from "../platform/log.ts";
import { clientIp, requestIdFrom } from "../platform/request.ts";
import { devInboundRoutes } from "./dev-inbound.ts";
import { healthRoutes } from "./health.ts";
import { nodeAgentRoutes } from "./node-agent.ts";
import { trackingRoutes } from "./tracking.ts";
import type { AppEnv } from "./types.ts";
import { unsubscribeRoutes } from "./unsubscribe.ts";
import { v1 } from "./v1.ts";

/**
 * The HTTP shell: request id → per-request context → routes. Every error leaves through onError
 * as the one envelope; unknown errors are logged with the request id and answered generically.
 */
export const api = new Hono<AppEnv>();

// Open pixel and click redirect first: Hono runs handlers in registration order, so these answer
// before the context middleware below and build no per-request context (workers/api/tracking.ts).
api.route("/t", trackingRoutes);

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
api.route("/api/nodes", nodeAgentRoutes);
api.route("/t/u", unsubscribeRoutes);
// JSON bodies above 1 MB are refused before parsing (imports upload to R2, not through here).
const limit1mb = bodyLimit({
  maxSize: 1024 * 1024,
  onError: () => {
    throw new AppError("PAYLOAD_TOO_LARGE", "Request body is larger than 1 MB.");
  },
});
// CSV uploads stream straight to R2 with their own 200 MB cap (leads/imports/service.ts).
api.use("/api/v1/*", (c, next) => (c.req.method === "POST" && c.req.path === "/api/v1/lead-imports" ? next() : limit1mb(c, next)));
api.route("/api/v1", v1);
api.route("/api/dev/inbound", devInboundRoutes);
api.get("/api/docs", Scalar({ url: "/api/v1/openapi.json", pageTitle: "PenguinMails API reference" }));

api.notFound((c) => {
  const { status, body } = toErrorBody(new AppError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`), c.var.requestId ?? "");
  return c.json(body, status as 404);
});

api.onError((err, c) => {
  const requestId = c.var.requestId ?? requestIdFrom(c.req.raw);
  const { status, body } = toErrorBody(fromHttpException(err), requestId);
  if (status >= 500) {
    createLogger({ requestId }).error("request.failed", { error: err, path: c.req.path, method: c.req.method });
  }
  if (err instanceof AppError && err.details?.retryAfterSeconds) c.header("retry-after", String(err.details.retryAfterSeconds));
  return c.json(body, status as 500);
});

/** Hono's own 4xx (malformed JSON, wrong content type) join the envelope with a stable code. */
function fromHttpException(err: unknown): unknown {
  if (!(err instanceof HTTPException)) return err;
  if (err.status === 400) return new AppError("BAD_REQUEST", err.message || "Malformed request body.");
  if (err.status === 413) return new AppError("PAYLOAD_TOO_LARGE", "Request body is too large.");
  if (err.status === 415) return new AppError("UNSUPPORTED_MEDIA_TYPE", "Send JSON (Content-Type: application/json).");
  if (err.status === 401) return new AppError("UNAUTHENTICATED", "Not authenticated.");
  if (err.status === 404) return new AppError("NOT_FOUND", "Not found.");
  return err;
}
