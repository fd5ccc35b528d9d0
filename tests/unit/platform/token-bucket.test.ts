import { describe, expect, it } from "vitest";
import { takeTokens } from "../../../workers/platform/token-bucket.ts";

const limits = { perMinute: 60, burst: 100 };

describe("token bucket", () => {
  it("starts full and allows a burst", () => {
    let state = null;
    let allowed = 0;
    for (let i = 0; i < 150; i++) {
      const d = takeTokens(state, limits, 1, 0);
      state = d.state;
      if (d.result.allowed) allowed++;
    }
    expect(allowed).toBe(100);
  });

  it("refills at perMinute and says when to retry", () => {
    const empty = { tokens: 0, updatedAt: 0 };
    const denied = takeTokens(empty, limits, 1, 500);
    expect(denied.result.allowed).toBe(false);
    expect(denied.result.retryAfterSeconds).toBe(1);
    const later = takeTokens(empty, limits, 1, 1000);
    expect(later.result.allowed).toBe(true);
    expect(later.result.remaining).toBe(0);
  });

  it("never exceeds the burst however long it idles", () => {
    const d = takeTokens({ tokens: 5, updatedAt: 0 }, limits, 1, 24 * 3600_000);
    expect(d.result.remaining).toBe(99);
    expect(d.result.resetSeconds).toBe(1);
  });
});
