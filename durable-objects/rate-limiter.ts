import { DurableObject } from "cloudflare:workers";
import { type BucketLimits, type BucketState, takeTokens } from "../workers/platform/token-bucket.ts";

/**
 * One token bucket per name (e.g. `tenant:ten_…` or `key:key_…`). The arithmetic is the pure
 * takeTokens(); this object only persists the bucket and serialises access to it.
 */
export class RateLimiter extends DurableObject<Env> {
  private state: BucketState | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.state = (await ctx.storage.get<BucketState>("bucket")) ?? null;
    });
  }

  async take(limits: BucketLimits, cost = 1, now = Date.now()) {
    const decision = takeTokens(this.state, limits, cost, now);
    this.state = decision.state;
    await this.ctx.storage.put("bucket", decision.state);
    return decision.result;
  }
}
