/**
 * E-mail normalisation for leads and suppression: trimmed and lower-cased as a whole (mailbox
 * providers treat the local part case-insensitively in practice, and uniqueness must not depend on
 * how a CSV capitalised it). Syntax is a pragmatic subset of RFC 5322 — what real cold lists hold.
 */
const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export interface NormalizedEmail {
  email: string;
  domain: string;
}

export function normalizeEmail(raw: string): NormalizedEmail | null {
  const email = raw.trim().toLowerCase();
  if (email.length < 3 || email.length > 254) return null;
  const at = email.lastIndexOf("@");
  if (at <= 0 || at !== email.indexOf("@")) return null;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local)) return null;
  if (!isDomain(domain)) return null;
  return { email, domain };
}

export function isDomain(value: string): boolean {
  const labels = value.split(".");
  if (labels.length < 2 || value.length > 253) return false;
  if (!labels.every((l) => LABEL.test(l))) return false;
  return /^[a-z]{2,63}$|^xn--[a-z0-9-]+$/.test(labels.at(-1)!);
}

/** `@competitor.com`, `competitor.com` or an address → a suppression entry. */
export function parseSuppressionValue(raw: string): { kind: "address" | "domain"; value: string } | null {
  const v = raw.trim().toLowerCase().replace(/^@/, "");
  if (v.includes("@")) {
    const n = normalizeEmail(v);
    return n ? { kind: "address", value: n.email } : null;
  }
  return isDomain(v) ? { kind: "domain", value: v } : null;
}
