/** Host-name and IP syntax shared by the record builders and validators (pure, no lookups). */

/** Lower-case, no trailing dot: the one form names are compared and stored in. */
export const normalizeName = (name: string): string => name.trim().toLowerCase().replace(/\.+$/, "");

// LDH labels (underscore allowed for _dmarc/_domainkey style owner names), 1–63 chars, ≤253 total.
const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

export function isHostname(name: string, opts: { allowUnderscore?: boolean } = {}): boolean {
  const n = normalizeName(name);
  if (n.length === 0 || n.length > 253) return false;
  const labels = n.split(".");
  if (labels.length < 2) return false;
  const tld = labels[labels.length - 1]!;
  if (/^\d+$/.test(tld)) return false;
  return labels.every((l) => LABEL.test(l) && (opts.allowUnderscore || !l.includes("_")));
}

export function isIpv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every((p) => /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(p));
}

export function isIpv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return false;
  let groups = s;
  if (s.includes(".")) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) stands for two 16-bit groups.
    const lastColon = s.lastIndexOf(":");
    if (lastColon < 0 || !isIpv4(s.slice(lastColon + 1))) return false;
    groups = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const hex = /^[0-9a-fA-F]{1,4}$/;
  const halves = groups.split("::");
  if (halves.length > 2) return false;
  if (halves.length === 2) {
    const h = halves[0] === "" ? [] : halves[0]!.split(":");
    const t = halves[1] === "" ? [] : halves[1]!.split(":");
    return [...h, ...t].every((g) => hex.test(g)) && h.length + t.length < 8;
  }
  const all = groups.split(":");
  return all.length === 8 && all.every((g) => hex.test(g));
}

export const isIp = (s: string): boolean => isIpv4(s) || isIpv6(s);

/** `1.2.3.4` → `4.3.2.1.in-addr.arpa` (PTR and DNSBL owner names). IPv4 only. */
export function reverseIpv4(ip: string): string {
  if (!isIpv4(ip)) throw new RangeError(`not an IPv4 address: ${ip}`);
  return `${ip.split(".").reverse().join(".")}.in-addr.arpa`;
}

/** True when `name` is `zone` itself or below it. */
export const isWithin = (name: string, zone: string): boolean => {
  const n = normalizeName(name);
  const z = normalizeName(zone);
  return n === z || n.endsWith(`.${z}`);
};
