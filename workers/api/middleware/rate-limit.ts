import type { MiddlewareHandler } from "hono";
import { rateLimiter } from "../../../durable-objects/stubs.ts";
import { AppError } from "../../platform/errors.ts";
import type { TakeResult } from "../../platform/token-bucket.ts";
import type { AppEnv } from "../types.ts";

/**
 * Gateway limits for API-key traffic: one token bucket per key and one per tenant, both sized by the
 * tenant's plan (60/300/1,000 per minute, bursts 100/500/2,000). Each bucket is its own Durable
 * Object, so a busy tenant never slows another. The tighter of the two answers.
 */
export const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const rl = c.var.rateLimit;
  if (!rl) return next();
  const [key, tenant] = await Promise.all([
    rateLimiter(c.env, rl.name).take(rl.limits, 1),
    rateLimiter(c.env, rl.tenantName).take(rl.limits, 1),
  ]);
  const tight = pickTighter(key, tenant);
  setHeaders(c.header.bind(c), tight);
  if (!key.allowed || !tenant.allowed) {
    const retry = Math.max(key.retryAfterSeconds, tenant.retryAfterSeconds, 1);
    throw new AppError("RATE_LIMITED", `Rate limit exceeded; retry in ${retry} s.`, { retryAfterSeconds: retry });
  }
  await next();
  setHeaders(c.header.bind(c), tight);
};

function pickTighter(a: TakeResult, b: TakeResult): TakeResult {
  if (!a.allowed) return a;
  if (!b.allowed) return b;
  return a.remaining <= b.remaining ? a : b;
}

function setHeaders(set: (name: string, value: string) => void, r: TakeResult) {
  set("RateLimit-Limit", String(r.limit));
  set("RateLimit-Remaining", String(r.remaining));
  set("RateLimit-Reset", String(r.allowed ? r.resetSeconds : r.retryAfterSeconds));
  set("X-RateLimit-Limit", String(r.limit));
  set("X-RateLimit-Remaining", String(r.remaining));
  set("X-RateLimit-Reset", String(r.allowed ? r.resetSeconds : r.retryAfterSeconds));
}
