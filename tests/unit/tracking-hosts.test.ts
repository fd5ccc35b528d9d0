import { describe, expect, it } from "vitest";
import { hostServesPath } from "../../workers/tracking/hosts.ts";

const APP = "https://app.penguinmails.com";

describe("hostServesPath", () => {
  it("serves everything on the app host", () => {
    expect(hostServesPath("app.penguinmails.com", "/sign-in", APP)).toBe(true);
    expect(hostServesPath("app.penguinmails.com", "/t/o/x", APP)).toBe(true);
  });

  it("serves only tracking and API paths on a customer's tracking domain", () => {
    expect(hostServesPath("track.acme.com", "/t/c/token", APP)).toBe(true);
    expect(hostServesPath("track.acme.com", "/api/v1/health", APP)).toBe(true);
    expect(hostServesPath("track.acme.com", "/sign-in", APP)).toBe(false);
    expect(hostServesPath("track.acme.com", "/", APP)).toBe(false);
    expect(hostServesPath("track.acme.com", "/tracking", APP)).toBe(false);
  });

  it("treats loopback as the app, so localhost and 127.0.0.1 both open the dashboard locally", () => {
    const local = "http://127.0.0.1:8787";
    for (const h of ["localhost", "127.0.0.1", "[::1]"]) expect(hostServesPath(h, "/sign-in", local)).toBe(true);
    expect(hostServesPath("localhost", "/campaigns", APP)).toBe(true);
  });
});

describe("hostServesPath with a different APP_URL", () => {
  it("follows APP_URL when it changes (the parsed host is cached per value, not once)", () => {
    expect(hostServesPath("app.penguinmails.com", "/sign-in", APP)).toBe(true);
    expect(hostServesPath("app.penguinmails.com", "/sign-in", "https://staging.penguinmails.com")).toBe(false);
    expect(hostServesPath("staging.penguinmails.com", "/sign-in", "https://staging.penguinmails.com")).toBe(true);
    expect(hostServesPath("staging.penguinmails.com", "/sign-in", APP)).toBe(false);
  });
});
