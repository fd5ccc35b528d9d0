import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RateLimiter } from "../../durable-objects/rate-limiter.ts";

// The RateLimiter Durable Object over real RPC in workerd. The bucket arithmetic itself is unit
// tested (tests/unit/platform/token-bucket.test.ts); here: storage, identity per name, and `now`.
const limits = { perMinute: 60, burst: 3 };
const NOW = 1_800_000_000_000;
// Unique names, so each test owns its objects however the suite is ordered or re-run.
const bucket = (label: string) => env.RATE_LIMITER.getByName(`${label}:${crypto.randomUUID()}`);

describe("RateLimiter Durable Object", () => {
  it("allows the burst, then denies with a retry time", async () => {
    const t1 = bucket("t1");
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await t1.take(limits, 1, NOW));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3]?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it("keeps the bucket in storage, so it survives eviction", async () => {
    const t1 = bucket("t1");
    for (let i = 0; i < 3; i++) await t1.take(limits, 1, NOW);
    const stored = await runInDurableObject(t1, (_obj: RateLimiter, state) => state.storage.get<{ tokens: number }>("bucket"));
    expect(stored?.tokens).toBe(0);
    await evictDurableObject(t1);
    expect((await t1.take(limits, 1, NOW)).allowed).toBe(false);
  });

  it("refills at perMinute using the caller's clock", async () => {
    const t1 = bucket("t1");
    for (let i = 0; i < 3; i++) await t1.take(limits, 1, NOW);
    expect((await t1.take(limits, 1, NOW + 999)).allowed).toBe(false);
    expect((await t1.take(limits, 1, NOW + 1_000)).allowed).toBe(true);
  });

  it("keeps different names independent", async () => {
    const a = bucket("a");
    const b = bucket("b");
    for (let i = 0; i < 4; i++) await a.take(limits, 1, NOW);
    const first = await b.take(limits, 1, NOW);
    expect(first).toMatchObject({ allowed: true, remaining: 2 });
    expect((await a.take(limits, 1, NOW)).allowed).toBe(false);
  });
});
