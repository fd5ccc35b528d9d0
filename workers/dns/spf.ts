import { isHostname, isIpv4, isIpv6 } from "./names.ts";

/**
 * SPF (RFC 7208). Receivers stop after 10 DNS-querying terms and return permerror (§4.6.4), which
 * fails SPF for every message, so we count lookups before publishing anything. ip4/ip6/all cost
 * nothing; include, a, mx, ptr, exists and the redirect modifier cost one each (exp does not).
 */
export const SPF_MAX_LOOKUPS = 10;
// §3.4: keep the record small enough for a 512-byte UDP answer.
const SPF_SOFT_MAX_BYTES = 450;

export type SpfQualifier = "+" | "-" | "~" | "?";

export interface SpfTerm {
  kind: "mechanism" | "modifier";
  qualifier: SpfQualifier | null;
  name: string;
  value: string | null;
  lookups: number;
}

export interface SpfCheck {
  valid: boolean;
  lookups: number;
  errors: string[];
  warnings: string[];
  terms: SpfTerm[];
}

const LOOKUP_TERMS = new Set(["include", "a", "mx", "ptr", "exists", "redirect"]);
const MECHANISMS = new Set(["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"]);
const SPF_PREFIX = /^v=spf1(\s|$)/i;

export const isSpfRecord = (txt: string): boolean => SPF_PREFIX.test(txt.trim());

// domain-spec may carry macros (§7.1: %{d}, %{i}, %%, %_, %-); without one it must be a host name.
function validDomainSpec(spec: string): boolean {
  if (spec === "" || !/^[\x21-\x7e]+$/.test(spec)) return false;
  if (spec.includes("%")) return !/%(?!\{[slodiphcrtvSLODIPHCRTV]\d*[rR]?[.\-+,/_=]*\}|%|_|-)/.test(spec);
  return isHostname(spec, { allowUnderscore: true });
}

function parseMechanism(raw: string, errors: string[]): SpfTerm | null {
  const m = /^([+\-~?]?)([a-z0-9]+)(.*)$/i.exec(raw);
  if (!m) {
    errors.push(`"${raw}" is not an SPF mechanism or modifier`);
    return null;
  }
  const qualifier = (m[1] || "+") as SpfQualifier;
  const name = m[2]!.toLowerCase();
  const rest = m[3]!;
  if (!MECHANISMS.has(name)) {
    errors.push(`unknown mechanism "${name}"`);
    return null;
  }
  const term: SpfTerm = { kind: "mechanism", qualifier, name, value: rest.startsWith(":") ? rest.slice(1) : rest || null, lookups: 0 };
  const bad = (why: string) => {
    errors.push(`"${raw}": ${why}`);
    return null;
  };
  switch (name) {
    case "all":
      if (rest !== "") return bad("all takes no argument");
      if (qualifier === "+") return bad("+all authorises every host on the internet");
      break;
    case "include":
    case "exists":
      if (!rest.startsWith(":") || !validDomainSpec(rest.slice(1))) return bad(`${name} needs a domain (${name}:example.com)`);
      break;
    case "a":
    case "mx": {
      const am = /^(?::([^/]+))?(?:\/(\d{1,2}))?(?:\/\/(\d{1,3}))?$/.exec(rest);
      if (!am) return bad("expected a[:domain][/cidr4][//cidr6]");
      if (am[1] !== undefined && !validDomainSpec(am[1])) return bad("invalid domain");
      if (am[2] !== undefined && Number(am[2]) > 32) return bad("IPv4 prefix length above 32");
      if (am[3] !== undefined && Number(am[3]) > 128) return bad("IPv6 prefix length above 128");
      term.value = am[1] ?? null;
      break;
    }
    case "ptr":
      if (rest !== "" && (!rest.startsWith(":") || !validDomainSpec(rest.slice(1)))) return bad("invalid domain");
      break;
    case "ip4": {
      const im = /^:([^/]+)(?:\/(\d{1,2}))?$/.exec(rest);
      if (!im || !isIpv4(im[1]!) || (im[2] !== undefined && Number(im[2]) > 32)) return bad("expected ip4:<IPv4>[/0-32]");
      break;
    }
    case "ip6": {
      const im = /^:([^/]+)(?:\/(\d{1,3}))?$/.exec(rest);
      if (!im || !isIpv6(im[1]!) || (im[2] !== undefined && Number(im[2]) > 128)) return bad("expected ip6:<IPv6>[/0-128]");
      break;
    }
  }
  term.lookups = LOOKUP_TERMS.has(name) ? 1 : 0;
  return term;
}

function checkOne(record: string): SpfCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const terms: SpfTerm[] = [];
  const [version, ...rest] = record.trim().split(/ +/);
  if (version?.toLowerCase() !== "v=spf1") errors.push('an SPF record must start with "v=spf1"');
  if (/[^\x20-\x7e]/.test(record)) errors.push("SPF records are ASCII: remove tabs, line breaks and non-ASCII characters");
  const seen = new Set<string>();
  for (const raw of rest) {
    const mod = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(raw);
    if (mod) {
      const name = mod[1]!.toLowerCase();
      const value = mod[2]!;
      if ((name === "redirect" || name === "exp") && seen.has(name)) errors.push(`${name}= may appear only once`);
      if ((name === "redirect" || name === "exp") && !validDomainSpec(value)) errors.push(`"${raw}": ${name}= needs a domain`);
      if (name !== "redirect" && name !== "exp") warnings.push(`unknown modifier "${name}" is ignored by receivers`);
      seen.add(name);
      terms.push({ kind: "modifier", qualifier: null, name, value, lookups: name === "redirect" ? 1 : 0 });
      continue;
    }
    const term = parseMechanism(raw, errors);
    if (term) terms.push(term);
  }
  const mechanisms = terms.filter((t) => t.kind === "mechanism");
  const allAt = mechanisms.findIndex((t) => t.name === "all");
  if (allAt >= 0 && allAt < mechanisms.length - 1) warnings.push("mechanisms after all are never evaluated");
  if (allAt >= 0 && seen.has("redirect")) warnings.push("redirect= is ignored because the record has an all mechanism");
  if (allAt < 0 && !seen.has("redirect")) warnings.push("no all mechanism: mail from unlisted hosts gets a neutral result");
  if (mechanisms.some((t) => t.name === "ptr")) warnings.push("ptr is slow and deprecated (RFC 7208 §5.5); list the IPs instead");
  const lookups = terms.reduce((n, t) => n + t.lookups, 0);
  if (lookups > SPF_MAX_LOOKUPS) errors.push(`${lookups} DNS lookups; receivers fail SPF (permerror) above ${SPF_MAX_LOOKUPS}`);
  if (new TextEncoder().encode(record).length > SPF_SOFT_MAX_BYTES) warnings.push("record is longer than 450 bytes (RFC 7208 §3.4)");
  return { valid: errors.length === 0, lookups, errors, warnings, terms };
}

/**
 * Validates one SPF value, or every TXT value published at a name (then exactly one may start with
 * v=spf1: two SPF records are a permerror, §4.5). Lookups counted here are this record's own; each
 * include costs 1 plus whatever the included record costs, which only a resolver can tell.
 */
export function validateSpf(txt: string | readonly string[]): SpfCheck {
  if (typeof txt === "string") return checkOne(txt);
  const spf = txt.filter(isSpfRecord);
  if (spf.length === 0)
    return { valid: false, lookups: 0, errors: ["no SPF record (no TXT value starts with v=spf1)"], warnings: [], terms: [] };
  const first = checkOne(spf[0]!);
  if (spf.length > 1) {
    first.errors.unshift(`${spf.length} SPF records at one name: receivers return permerror; publish exactly one`);
    first.valid = false;
  }
  return first;
}

export interface SpfInclude {
  domain: string;
  /** Lookups the included record itself performs (its own includes, a, mx…), when known. */
  lookups?: number;
}

/**
 * `v=spf1 ip4:… [include:…] ~all`. Throws RangeError when the includes would take the record past
 * 10 lookups, counting each include's own lookups too.
 */
export function buildSpf(ips: readonly string[], includes: readonly SpfInclude[] = [], all: "~" | "-" = "~"): string {
  const terms: string[] = [];
  for (const ip of ips) {
    if (isIpv4(ip)) terms.push(`ip4:${ip}`);
    else if (isIpv6(ip)) terms.push(`ip6:${ip}`);
    else throw new RangeError(`not an IP address: ${ip}`);
  }
  let lookups = 0;
  for (const inc of includes) {
    if (!isHostname(inc.domain, { allowUnderscore: true })) throw new RangeError(`not a domain: ${inc.domain}`);
    lookups += 1 + Math.max(0, inc.lookups ?? 0);
    terms.push(`include:${inc.domain.toLowerCase()}`);
  }
  if (lookups > SPF_MAX_LOOKUPS) throw new RangeError(`SPF would need ${lookups} DNS lookups; the limit is ${SPF_MAX_LOOKUPS}`);
  if (terms.length === 0) throw new RangeError("SPF needs at least one IP or include");
  return ["v=spf1", ...terms, `${all}all`].join(" ");
}
