/**
 * Machine traffic is flagged, not counted (SPEC decision 8; Dub's bot handling). Security scanners
 * and link previewers fetch every link right after delivery; Apple Mail Privacy Protection preloads
 * every pixel through Apple's proxies, so those opens are reported separately.
 */
const SCANNER_UA =
  /(bot|crawler|spider|preview|scanner|barracuda|mimecast|proofpoint|forcepoint|symantec|messagelabs|trendmicro|fortiguard|sophos|cisco|ironport|zscaler|microsoft office|ms-office|office365|safelinks|outlook-ios-android|slackbot|facebookexternalhit|linkedinbot|twitterbot|curl\/|wget\/|python-requests|go-http-client|java\/|okhttp|headless)/i;
const GOOGLE_PROXY = /GoogleImageProxy|ggpht\.com/i;

/** Seconds after sending during which a click is almost certainly a scanner (window from field data). */
export const SCANNER_WINDOW_MS = 10_000;

export type MachineFlag = "head_request" | "scanner_ua" | "too_fast" | "apple_mpp" | null;

export function classifyHit(opts: {
  method: string;
  userAgent: string | null;
  ip: string | null;
  asOrganization?: string | null;
  sentAt: number;
  now: number;
  kind: "open" | "click";
}): MachineFlag {
  if (opts.method === "HEAD") return "head_request";
  const ua = opts.userAgent ?? "";
  if (opts.kind === "open" && (opts.asOrganization?.toLowerCase().includes("apple") || opts.ip?.startsWith("17."))) return "apple_mpp";
  if (!ua || (SCANNER_UA.test(ua) && !GOOGLE_PROXY.test(ua))) return "scanner_ua";
  if (opts.kind === "click" && opts.now - opts.sentAt < SCANNER_WINDOW_MS) return "too_fast";
  return null;
}
