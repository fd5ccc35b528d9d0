import { describe, expect, it } from "vitest";
import { judgeCname } from "../../workers/tracking/domains.ts";

const HOST = "track.acme.com";
const TARGET = "track.penguinmails.com";

// The one verdict "Verify" and the hourly re-check share (workers/tracking/domains.ts).
describe("judgeCname", () => {
  it("verifies only a CNAME to the platform's tracking host", () => {
    expect(judgeCname(HOST, TARGET, { status: "ok", answers: [TARGET] })).toEqual({ verdict: "verified", error: null });
    expect(judgeCname(HOST, TARGET, { status: "ok", answers: ["elsewhere.example"] })).toEqual({
      verdict: "failed",
      error: `${HOST} points to elsewhere.example, not ${TARGET}.`,
    });
    expect(judgeCname(HOST, TARGET, { status: "ok", answers: [] }).error).toBe(`${HOST} points to nothing, not ${TARGET}.`);
    expect(judgeCname(HOST, TARGET, { status: "nxdomain", answers: [] })).toEqual({
      verdict: "failed",
      error: `${HOST} has no DNS record yet. Add a CNAME to ${TARGET}.`,
    });
  });

  it("calls a failed lookup unknown, never failed: an outage must not demote a verified domain", () => {
    expect(judgeCname(HOST, TARGET, { status: "error", answers: [], reason: "SERVFAIL" })).toEqual({
      verdict: "unknown",
      error: "DNS lookup failed (SERVFAIL); try again in a few minutes.",
    });
    expect(
      judgeCname(HOST, TARGET, { status: "error", answers: [], reason: "lookup failed: connect ECONNREFUSED 10.0.0.1:443" }).error,
    ).toBe("DNS lookup failed (resolver unreachable); try again in a few minutes.");
  });
});
