/**
 * Token bucket arithmetic, pure so it is unit-tested without a Durable Object.
 * `perMinute` tokens refill continuously; the bucket holds at most `burst`.
 */
export interface BucketLimits {
  perMinute: number;
  burst: number;
}

export interface BucketState {
  tokens: number;
  updatedAt: number;
}

export interface TakeResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until `cost` tokens are available again (0 when allowed). */
  retryAfterSeconds: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

export function takeTokens(
  prev: BucketState | null,
  limits: BucketLimits,
  cost: number,
  now: number,
): { state: BucketState; result: TakeResult } {
  const ratePerMs = limits.perMinute / 60_000;
  const elapsed = prev ? Math.max(0, now - prev.updatedAt) : 0;
  const available = prev ? Math.min(limits.burst, prev.tokens + elapsed * ratePerMs) : limits.burst;
  const allowed = available >= cost;
  const tokens = allowed ? available - cost : available;
  const retryAfterSeconds = allowed ? 0 : Math.ceil((cost - available) / ratePerMs / 1000);
  const resetSeconds = Math.ceil((limits.burst - tokens) / ratePerMs / 1000);
  return {
    state: { tokens, updatedAt: now },
    result: { allowed, limit: limits.burst, remaining: Math.floor(tokens), retryAfterSeconds, resetSeconds },
  };
}
