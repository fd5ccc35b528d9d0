import { isHostname, normalizeName } from "./names.ts";

/**
 * DMARC (RFC 7489 §6.3–6.4). `v=DMARC1` must be the first tag and `p` the second (the ABNF order);
 * tags are `name=value` separated by `;`. We treat unknown tags as errors although receivers ignore
 * them: a typo (`adkm=s`, `rua mailto:`) silently drops the setting it was meant to make.
 */
export type DmarcPolicy = "none" | "quarantine" | "reject";

export interface DmarcCheck {
  valid: boolean;
  errors: string[];
  warnings: string[];
  tags: Record<string, string>;
}

const POLICIES = new Set(["none", "quarantine", "reject"]);
// RFC 7489 tags, plus np/psd/t from DMARCbis (draft-ietf-dmarc-dmarcbis), which receivers accept.
const KNOWN = new Set(["v", "p", "sp", "np", "rua", "ruf", "adkim", "aspf", "pct", "fo", "rf", "ri", "psd", "t"]);

// rua/ruf: comma-separated URIs, each optionally limited by !<size>[kmgt] (§6.2).
function checkUris(tag: string, value: string, errors: string[]): string[] {
  const hosts: string[] = [];
  for (const raw of value.split(",")) {
    const m = /^mailto:([^@!\s]+)@([^!\s]+)(?:!\d+[kmgt]?)?$/i.exec(raw.trim());
    if (!m) {
      errors.push(`${tag}: "${raw.trim()}" must be mailto:address@domain`);
      continue;
    }
    if (!isHostname(m[2]!)) errors.push(`${tag}: "${m[2]}" is not a domain`);
    else hosts.push(normalizeName(m[2]!));
  }
  return hosts;
}

/** Why a tag's value is wrong, or null when it is fine. */
function valueProblem(name: string, value: string): string | null {
  const v = value.toLowerCase();
  const unless = (ok: boolean, what: string) => (ok ? null : what);
  switch (name) {
    case "p":
    case "sp":
    case "np":
      return unless(POLICIES.has(v), "must be none, quarantine or reject");
    case "adkim":
    case "aspf":
      return unless(v === "r" || v === "s", "must be r (relaxed) or s (strict)");
    case "pct":
      return unless(/^\d{1,3}$/.test(v) && Number(v) <= 100, "must be an integer from 0 to 100");
    case "fo":
      return unless(/^[01ds](:[01ds])*$/.test(v), "must be a colon-separated list of 0, 1, d, s");
    case "rf":
      return unless(/^(afrf|iodef)(:(afrf|iodef))*$/.test(v), "must be afrf (or iodef)");
    case "ri":
      return unless(/^\d{1,10}$/.test(v) && Number(v) <= 0xffffffff, "must be a number of seconds");
    case "t":
      return unless(v === "y" || v === "n", "must be y or n");
    case "psd":
      return unless(v === "y" || v === "n" || v === "u", "must be y, n or u");
    default:
      return null;
  }
}

/**
 * Validates one DMARC value. With `domain`, report addresses outside it are flagged: the receiving
 * domain must publish `<domain>._report._dmarc.<rua-domain> TXT "v=DMARC1"` to accept them (§7.1).
 */
export function validateDmarc(txt: string, opts: { domain?: string } = {}): DmarcCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const tags: Record<string, string> = {};
  const parts = txt
    .trim()
    .split(";")
    .map((p) => p.trim());
  if (parts.at(-1) === "") parts.pop(); // a trailing ";" is allowed
  const order: string[] = [];
  for (const part of parts) {
    const m = /^([a-zA-Z]+)\s*=\s*(.*)$/.exec(part);
    if (!m) {
      errors.push(`"${part}" is not a tag=value pair`);
      continue;
    }
    const name = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (name in tags) errors.push(`${name} appears more than once`);
    if (!KNOWN.has(name)) errors.push(`unknown tag "${name}"`);
    if (value === "") errors.push(`${name} has no value`);
    tags[name] = value;
    order.push(name);
  }
  if (order[0] !== "v" || tags.v !== "DMARC1") errors.push('a DMARC record must start with "v=DMARC1"');
  if (!("p" in tags)) errors.push("p (policy) is required");
  else if (order[1] !== "p") errors.push("p must come right after v");
  for (const name of order) {
    const problem = name !== "v" && tags[name] ? valueProblem(name, tags[name]!) : null;
    if (problem) errors.push(`${name}=${tags[name]}: ${problem}`);
  }
  const reportHosts = [...(tags.rua ? checkUris("rua", tags.rua, errors) : []), ...(tags.ruf ? checkUris("ruf", tags.ruf, errors) : [])];
  if (!tags.rua) warnings.push("no rua: you will receive no aggregate reports");
  if (tags.p?.toLowerCase() === "none" && tags.pct && tags.pct !== "100") warnings.push("pct has no effect with p=none");
  if (opts.domain) {
    const d = normalizeName(opts.domain);
    for (const h of new Set(reportHosts)) {
      if (h !== d && !h.endsWith(`.${d}`) && !d.endsWith(`.${h}`)) {
        warnings.push(`reports go to ${h}, which must publish ${d}._report._dmarc.${h} TXT "v=DMARC1"`);
      }
    }
  }
  return { valid: errors.length === 0, errors, warnings, tags };
}

export const isDmarcRecord = (txt: string): boolean => /^v\s*=\s*DMARC1\s*(;|$)/.test(txt.trim());

/** The record we publish first: monitoring only, relaxed alignment (SPEC §4.4: none → quarantine → reject). */
export function buildDmarc(o: { rua: string; policy?: DmarcPolicy; pct?: number }): string {
  const rua = o.rua.replace(/^mailto:/i, "");
  if (!/^[^@\s;,!]+@[^@\s;,!]+$/.test(rua) || !isHostname(rua.split("@")[1]!)) throw new RangeError(`not a report address: ${o.rua}`);
  const pct = o.pct ?? 100;
  if (!Number.isInteger(pct) || pct < 0 || pct > 100) throw new RangeError("pct must be 0–100");
  return `v=DMARC1; p=${o.policy ?? "none"}; rua=mailto:${rua}; adkim=r; aspf=r; pct=${pct}`;
}
