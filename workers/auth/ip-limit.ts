import { rateLimiter } from "../../durable-objects/stubs.ts";
import { AppError } from "../platform/errors.ts";

/**
 * Per-client-IP limits for unauthenticated account endpoints (sign-in, sign-up, reset), on top of
 * the per-account lockout. Shared by the API routes and the dashboard forms.
 */
export const IP_LIMITS = { signin: 10, signup: 10, reset: 5 } as const;

export async function limitByIp(env: Env, ip: string | null, bucket: keyof typeof IP_LIMITS): Promise<void> {
  const perMinute = IP_LIMITS[bucket];
  const r = await rateLimiter(env, `ip:${bucket}:${ip ?? "unknown"}`).take({ perMinute, burst: perMinute }, 1);
  if (!r.allowed)
    throw new AppError("RATE_LIMITED", "Too many attempts from your network; wait a minute and try again.", {
      retryAfterSeconds: r.retryAfterSeconds,
    });
}
