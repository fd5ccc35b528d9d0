import { isIpv4 } from "./names.ts";

/**
 * DNSBL conventions (INTEGRATIONS.md §3.6). Query `<reversed IPv4>.<zone>` for A; NXDOMAIN means
 * "not listed". Spamhaus answers 127.255.255.254/255 to public or over-quota resolvers: that is a
 * refusal, never a listing (SPEC decision 12) — so a DoH resolver such as 1.1.1.1 can't be used with
 * the public mirrors; use a DQS key zone (`<key>.zen.dq.spamhaus.net`).
 */
export type DnsblVerdict =
  | { status: "listed"; codes: string[]; reasons: string[] }
  | { status: "clean" }
  | { status: "refused" | "error"; reason: string };

export function dnsblQueryName(ip: string, zone: string): string {
  if (!isIpv4(ip)) throw new RangeError(`DNSBL lookups here take IPv4 addresses: ${ip}`);
  return `${ip.split(".").reverse().join(".")}.${zone.replace(/^\.+|\.+$/g, "")}`;
}

// docs.spamhaus.com return codes (ZEN for IPs; DBL codes are in 127.0.1.0/24).
const SPAMHAUS: Record<string, string> = {
  "127.0.0.2": "SBL (spam source)",
  "127.0.0.3": "CSS (snowshoe spam)",
  "127.0.0.4": "XBL (exploited host)",
  "127.0.0.9": "DROP (hijacked netblock)",
  "127.0.0.10": "PBL (end-user IP range, ISP policy)",
  "127.0.0.11": "PBL (end-user IP range, Spamhaus)",
  "127.0.0.30": "BCL (botnet controller)",
  "127.0.1.2": "DBL (low-reputation domain)",
  "127.0.1.4": "DBL (phishing domain)",
  "127.0.1.5": "DBL (malware domain)",
  "127.0.1.6": "DBL (botnet C&C domain)",
};

export function classifyDnsbl(r: { status: "ok" | "nxdomain" | "error"; answers: readonly string[]; reason?: string }): DnsblVerdict {
  if (r.status === "nxdomain") return { status: "clean" };
  if (r.status === "error") return { status: "error", reason: r.reason ?? "lookup failed" };
  const codes = r.answers.filter((a) => /^127\.\d+\.\d+\.\d+$/.test(a));
  if (codes.length === 0)
    return r.answers.length === 0 ? { status: "clean" } : { status: "error", reason: `unexpected answer ${r.answers.join(", ")}` };
  if (codes.some((c) => c.startsWith("127.255.255."))) {
    return { status: "refused", reason: "the list refused this resolver (public/open resolver or over quota), not a listing" };
  }
  return { status: "listed", codes, reasons: codes.map((c) => SPAMHAUS[c] ?? `listed (${c})`) };
}
