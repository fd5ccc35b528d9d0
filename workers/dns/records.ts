import { buildDmarc, isDmarcRecord, validateDmarc } from "./dmarc.ts";
import { isHostname, isIp, isIpv4, isWithin, normalizeName, reverseIpv4 } from "./names.ts";
import { buildSpf, isSpfRecord, type SpfInclude, validateSpf } from "./spf.ts";
import { joinTxt, parseTxtStrings, quoteTxt, splitTxt } from "./txt.ts";

export { buildDmarc, type DmarcCheck, type DmarcPolicy, validateDmarc } from "./dmarc.ts";
export { isHostname, isIpv4, isIpv6, normalizeName, reverseIpv4 } from "./names.ts";
export { buildSpf, SPF_MAX_LOOKUPS, type SpfCheck, type SpfInclude, validateSpf } from "./spf.ts";
export { joinTxt, parseTxtStrings, quoteTxt, splitTxt } from "./txt.ts";

/**
 * The records a sending domain needs (SPEC §4.4), built from facts we already hold: pure, no I/O.
 * Names are lower-case FQDNs without the trailing dot. TXT `content` is the logical value; `strings`
 * is the same value split into ≤255-byte character-strings, and `zoneContent` the quoted form the
 * Cloudflare API and zone files take.
 */
export type DnsRecordType = "A" | "AAAA" | "MX" | "TXT" | "CNAME" | "PTR";
export type RecordPurpose = "mx" | "mail_host" | "spf" | "dkim" | "dmarc" | "tracking" | "ptr";

export interface DnsRecord {
  purpose: RecordPurpose;
  type: DnsRecordType;
  name: string;
  content: string;
  zoneContent: string;
  strings?: string[];
  priority?: number;
  ttl: number;
  /** "zone": published in a DNS zone; "provider": PTR, set at the VPS provider (Hostwinds set_rdns). */
  managedAt: "zone" | "provider";
  /** Whether `name` lies inside the customer's domain (the zone we may write to). */
  inDomain: boolean;
}

export interface DomainRecordsInput {
  domain: string;
  mailHost: string;
  nodeIps: readonly string[];
  dkim: { selector: string; publicKey: string };
  /** Aggregate-report address, with or without `mailto:`. */
  dmarcRua: string;
  /** Customer host for open/click tracking (e.g. track.acme.com) and the platform host it points to. */
  trackingHost?: string;
  trackingCname?: string;
  /** Extra SPF includes (shared infrastructure); each costs 1 + its own lookups, ≤10 in total. */
  spfIncludes?: readonly SpfInclude[];
  ttl?: number;
}

export class DnsRecordError extends Error {
  override readonly name = "DnsRecordError";
}

const DEFAULT_TTL = 3600;
const MX_PRIORITY = 10;
const SELECTOR = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function txtRecord(purpose: RecordPurpose, name: string, value: string, ttl: number, domain: string): DnsRecord {
  const strings = splitTxt(value);
  return {
    purpose,
    type: "TXT",
    name,
    content: value,
    zoneContent: quoteTxt(strings),
    strings,
    ttl,
    managedAt: "zone",
    inDomain: isWithin(name, domain),
  };
}

/** Strips PEM armour and whitespace; the key must be base64 of a DER public key. */
function cleanPublicKey(key: string): string {
  const k = key.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
  if (k.length < 200 || !/^[A-Za-z0-9+/]+={0,2}$/.test(k) || k.length % 4 !== 0) {
    throw new DnsRecordError("DKIM public key must be base64 (an RSA key of at least 1024 bits)");
  }
  return k;
}

export function buildDomainRecords(input: DomainRecordsInput): DnsRecord[] {
  const domain = normalizeName(input.domain);
  const mailHost = normalizeName(input.mailHost);
  const ttl = input.ttl ?? DEFAULT_TTL;
  if (!isHostname(domain)) throw new DnsRecordError(`not a domain name: ${input.domain}`);
  if (!isHostname(mailHost)) throw new DnsRecordError(`not a host name: ${input.mailHost}`);
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 86_400) throw new DnsRecordError("ttl must be 60–86400 seconds");
  const ips = [...new Set(input.nodeIps.map((ip) => ip.trim().toLowerCase()))];
  if (ips.length === 0) throw new DnsRecordError("at least one node IP is needed");
  for (const ip of ips) if (!isIp(ip)) throw new DnsRecordError(`not an IP address: ${ip}`);
  if (!SELECTOR.test(input.dkim.selector)) throw new DnsRecordError(`not a DKIM selector: ${input.dkim.selector}`);
  if (Boolean(input.trackingHost) !== Boolean(input.trackingCname)) throw new DnsRecordError("trackingHost and trackingCname go together");

  const inDomain = (name: string) => isWithin(name, domain);
  const records: DnsRecord[] = [
    {
      purpose: "mx",
      type: "MX",
      name: domain,
      content: mailHost,
      zoneContent: mailHost,
      priority: MX_PRIORITY,
      ttl,
      managedAt: "zone",
      inDomain: true,
    },
  ];
  for (const ip of ips) {
    const type = isIpv4(ip) ? "A" : "AAAA";
    records.push({
      purpose: "mail_host",
      type,
      name: mailHost,
      content: ip,
      zoneContent: ip,
      ttl,
      managedAt: "zone",
      inDomain: inDomain(mailHost),
    });
  }
  let spf: string;
  try {
    spf = buildSpf(ips, input.spfIncludes ?? []);
  } catch (err) {
    throw new DnsRecordError((err as Error).message);
  }
  records.push(txtRecord("spf", domain, spf, ttl, domain));
  const selector = input.dkim.selector.toLowerCase();
  records.push(
    txtRecord("dkim", `${selector}._domainkey.${domain}`, `v=DKIM1; k=rsa; p=${cleanPublicKey(input.dkim.publicKey)}`, ttl, domain),
  );
  let dmarc: string;
  try {
    dmarc = buildDmarc({ rua: input.dmarcRua, policy: "none" });
  } catch (err) {
    throw new DnsRecordError((err as Error).message);
  }
  records.push(txtRecord("dmarc", `_dmarc.${domain}`, dmarc, ttl, domain));
  if (input.trackingHost && input.trackingCname) {
    const host = normalizeName(input.trackingHost);
    const target = normalizeName(input.trackingCname);
    if (!isHostname(host) || !isHostname(target)) throw new DnsRecordError("tracking host and target must be host names");
    if (host === domain) throw new DnsRecordError("a CNAME cannot sit at the domain apex next to MX/TXT; use a sub-domain such as track.");
    if (host === mailHost) throw new DnsRecordError("the tracking host cannot be the mail host (A and CNAME cannot share a name)");
    records.push({
      purpose: "tracking",
      type: "CNAME",
      name: host,
      content: target,
      zoneContent: target,
      ttl,
      managedAt: "zone",
      inDomain: inDomain(host),
    });
  }
  // Forward-confirmed reverse DNS (Gmail requirement): each node IP's PTR names the mail host (= HELO).
  for (const ip of ips.filter(isIpv4)) {
    records.push({
      purpose: "ptr",
      type: "PTR",
      name: reverseIpv4(ip),
      content: mailHost,
      zoneContent: mailHost,
      ttl,
      managedAt: "provider",
      inDomain: false,
    });
  }
  return records;
}

// Leftmost labels suggested for a cold-mail sub-domain (SPEC §4.4: m./mail.; outreach. keeps the
// root's reputation apart). Sub-domains share the organisational domain, so DMARC alignment holds.
const COLD_LABELS = ["outreach", "m", "mail", "hello", "go"];

/** A few sub-domains of `domain` to send cold mail from, best first. */
export function suggestColdSubdomain(domain: string, count = 3): string[] {
  const d = normalizeName(domain);
  if (!isHostname(d)) throw new DnsRecordError(`not a domain name: ${domain}`);
  const first = d.split(".")[0]!;
  // Already a cold-mail sub-domain (m.acme.com): keep it rather than nest m.m.acme.com.
  const out = COLD_LABELS.includes(first) && d.split(".").length > 2 ? [d] : [];
  for (const label of COLD_LABELS) {
    const candidate = `${label}.${d}`;
    if (candidate.length <= 253 && !out.includes(candidate)) out.push(candidate);
  }
  return out.slice(0, count);
}

export type CompareStatus = "match" | "mismatch" | "missing" | "error";

export interface CompareResult {
  status: CompareStatus;
  reason: string;
}

/** What a resolver said: `dohResolver().resolve()` returns this shape; a bare list means "ok". */
export type ResolverAnswer = readonly string[] | { status: "ok" | "nxdomain" | "error"; answers: readonly string[]; reason?: string };

const host = (s: string) => normalizeName(s);
const squash = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
// A DoH TXT answer may still be in presentation form ("a" "b"); join it either way.
const txtValue = (s: string) => joinTxt(parseTxtStrings(s));

function compareTxt(expected: DnsRecord, answers: string[]): CompareResult {
  const values = answers.map(txtValue);
  const where = `${expected.name}`;
  if (expected.purpose === "spf") {
    const spf = values.filter(isSpfRecord);
    if (spf.length === 0) return { status: "missing", reason: `no SPF record at ${where}` };
    if (spf.length > 1) return { status: "mismatch", reason: `${spf.length} SPF records at ${where}; receivers fail SPF (permerror)` };
    const published = spf[0]!;
    if (squash(published) === squash(expected.content)) return { status: "match", reason: "SPF record matches" };
    const check = validateSpf(published);
    if (!check.valid) return { status: "mismatch", reason: `published SPF is invalid: ${check.errors[0]}` };
    const ipOf = (v: string | null) => (v ?? "").toLowerCase().replace(/\/(32|128)$/, "");
    const have = new Set(
      check.terms.filter((t) => t.qualifier === "+" && (t.name === "ip4" || t.name === "ip6")).map((t) => ipOf(t.value)),
    );
    const missing = validateSpf(expected.content)
      .terms.filter((t) => t.name === "ip4" || t.name === "ip6" || t.name === "include")
      .filter((t) =>
        t.name === "include" ? !check.terms.some((p) => p.name === "include" && p.value === t.value) : !have.has(ipOf(t.value)),
      );
    if (missing.length > 0)
      return { status: "mismatch", reason: `published SPF does not authorise ${missing.map((t) => `${t.name}:${t.value}`).join(", ")}` };
    return { status: "match", reason: "published SPF differs but authorises every sending IP" };
  }
  if (expected.purpose === "dkim") {
    const keyOf = (v: string) => /(?:^|;)\s*p=([^;]*)/.exec(v)?.[1]?.replace(/\s+/g, "") ?? null;
    const dkim = values.filter((v) => /(^|;)\s*p=/.test(v));
    if (dkim.length === 0) return { status: "missing", reason: `no DKIM key at ${where}` };
    const want = keyOf(expected.content);
    if (dkim.some((v) => keyOf(v) === want)) return { status: "match", reason: "DKIM public key matches" };
    if (dkim.some((v) => keyOf(v) === "")) return { status: "mismatch", reason: "DKIM key is revoked (empty p=)" };
    return { status: "mismatch", reason: "a different DKIM public key is published (key rotated or record truncated)" };
  }
  if (expected.purpose === "dmarc") {
    const dmarc = values.filter(isDmarcRecord);
    if (dmarc.length === 0) return { status: "missing", reason: `no DMARC record at ${where}` };
    if (dmarc.length > 1) return { status: "mismatch", reason: `${dmarc.length} DMARC records at ${where}; receivers ignore them all` };
    const check = validateDmarc(dmarc[0]!);
    if (!check.valid) return { status: "mismatch", reason: `published DMARC is invalid: ${check.errors[0]}` };
    const wantRua = validateDmarc(expected.content).tags.rua?.toLowerCase();
    if (wantRua && !(check.tags.rua ?? "").toLowerCase().includes(wantRua))
      return { status: "mismatch", reason: `rua does not include ${wantRua}` };
    // A stricter policy than ours (quarantine/reject later on) is the intended progression, not drift.
    return { status: "match", reason: `DMARC published with p=${check.tags.p}` };
  }
  if (values.some((v) => v === expected.content)) return { status: "match", reason: "TXT value matches" };
  return { status: values.length ? "mismatch" : "missing", reason: values.length ? "TXT value differs" : `no TXT record at ${where}` };
}

/** Compares what we expect with what a resolver returned for (expected.name, expected.type). */
export function compareRecord(expected: DnsRecord, resolved: ResolverAnswer): CompareResult {
  const r = Array.isArray(resolved)
    ? { status: "ok" as const, answers: resolved as readonly string[] }
    : (resolved as Exclude<ResolverAnswer, readonly string[]>);
  const what = `${expected.type} ${expected.name}`;
  if (r.status === "error")
    return { status: "error", reason: `lookup failed for ${what}${"reason" in r && r.reason ? `: ${r.reason}` : ""}` };
  if (r.status === "nxdomain") return { status: "missing", reason: `${expected.name} does not exist (NXDOMAIN)` };
  const answers = [...r.answers];
  if (answers.length === 0) return { status: "missing", reason: `no ${what} record` };
  switch (expected.type) {
    case "TXT":
      return compareTxt(expected, answers);
    case "MX": {
      const mx = answers.map((a) => {
        const [prio, target] = a.trim().split(/\s+/);
        return { priority: Number(prio), host: host(target ?? "") };
      });
      const ours = mx.find((m) => m.host === host(expected.content));
      if (!ours) return { status: "mismatch", reason: `MX points to ${mx.map((m) => m.host).join(", ")}, expected ${expected.content}` };
      if (expected.priority !== undefined && ours.priority !== expected.priority) {
        return { status: "mismatch", reason: `MX ${expected.content} has priority ${ours.priority}, expected ${expected.priority}` };
      }
      const better = mx.filter((m) => m.host !== ours.host && m.priority < ours.priority);
      if (better.length)
        return { status: "mismatch", reason: `${better.map((m) => m.host).join(", ")} takes precedence over ${expected.content}` };
      return { status: "match", reason: "MX matches" };
    }
    case "A":
    case "AAAA": {
      const want = expected.content.toLowerCase();
      if (answers.some((a) => a.trim().toLowerCase() === want))
        return { status: "match", reason: `${expected.name} resolves to ${expected.content}` };
      return { status: "mismatch", reason: `${expected.name} resolves to ${answers.join(", ")}, expected ${expected.content}` };
    }
    case "CNAME":
    case "PTR": {
      if (answers.some((a) => host(a) === host(expected.content)))
        return { status: "match", reason: `${expected.type} points to ${expected.content}` };
      return {
        status: "mismatch",
        reason: `${expected.type} points to ${answers.map(host).join(", ")}, expected ${host(expected.content)}`,
      };
    }
  }
}
