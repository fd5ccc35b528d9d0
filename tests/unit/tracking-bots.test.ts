import { describe, expect, it } from "vitest";
import { classifyHit, SCANNER_WINDOW_MS } from "../../workers/tracking/bots.ts";

const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const sentAt = 1_700_000_000_000;
const hit = (over: Partial<Parameters<typeof classifyHit>[0]> = {}) =>
  classifyHit({
    method: "GET",
    userAgent: CHROME,
    ip: "203.0.113.7",
    asOrganization: null,
    sentAt,
    now: sentAt + 3_600_000,
    kind: "open",
    ...over,
  });

// Machine traffic is flagged, not counted (SPEC decision 8): each rule on its own.
describe("classifyHit", () => {
  it("counts a person's open and click", () => {
    expect(hit()).toBeNull();
    expect(hit({ kind: "click" })).toBeNull();
  });

  it("flags HEAD requests whatever else they look like", () => {
    expect(hit({ method: "HEAD" })).toBe("head_request");
    expect(hit({ method: "HEAD", kind: "click" })).toBe("head_request");
  });

  it("reports Apple Mail Privacy Protection opens apart: Apple's network or address block", () => {
    expect(hit({ asOrganization: "Apple Inc." })).toBe("apple_mpp");
    expect(hit({ ip: "17.58.101.4" })).toBe("apple_mpp");
    // Only opens: a click from Apple's network is a person using iCloud Private Relay.
    expect(hit({ kind: "click", ip: "17.58.101.4" })).toBeNull();
  });

  it("flags scanners and link previewers by user agent, and a missing one", () => {
    for (const ua of [
      "Mozilla/5.0 (compatible; Barracuda Sentinel)",
      "Mimecast Email Security",
      "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.4266; Pro)",
      "Slackbot-LinkExpanding 1.0",
      "python-requests/2.31.0",
      "curl/8.4.0",
      "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0",
    ])
      expect([ua, hit({ userAgent: ua, kind: "click" })]).toEqual([ua, "scanner_ua"]);
    expect(hit({ userAgent: null })).toBe("scanner_ua");
    expect(hit({ userAgent: "" })).toBe("scanner_ua");
  });

  it("counts Gmail's image proxy: it fetches the pixel when a person opens the mail", () => {
    expect(hit({ userAgent: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)" })).toBeNull();
  });

  it("flags a click within seconds of sending, from an ordinary browser; an open that fast still counts", () => {
    expect(hit({ kind: "click", now: sentAt + SCANNER_WINDOW_MS - 1 })).toBe("too_fast");
    expect(hit({ kind: "click", now: sentAt + SCANNER_WINDOW_MS })).toBeNull();
    expect(hit({ kind: "open", now: sentAt + 1_000 })).toBeNull();
  });
});
