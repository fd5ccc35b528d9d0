import type { LeadLike, SenderLike } from "./schemas.ts";

/** Merge field name → lead property. Names are snake_case in templates, camelCase on rows. */
export const LEAD_FIELDS = {
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  company: "company",
  title: "title",
  phone: "phone",
  website: "website",
  city: "city",
  country: "country",
} as const satisfies Record<string, keyof LeadLike>;

export const SENDER_FIELDS = {
  "sender.first_name": "firstName",
  "sender.last_name": "lastName",
  "sender.email": "email",
  "sender.signature": "signature",
} as const satisfies Record<string, keyof SenderLike>;

export const CUSTOM_PREFIX = "custom.";
const CUSTOM_NAME = /^[A-Za-z0-9_-]+$/;

// The compliance footer is appended after rendering and is never a variable; these names are
// refused so nobody believes they can place (or blank) the unsubscribe link from a template.
const RESERVED = new Set(["unsubscribe", "unsubscribe_url", "unsubscribe_link", "postal_address", "footer", "compliance_footer"]);

export type FieldRef =
  | { scope: "lead"; name: keyof typeof LEAD_FIELDS; key: (typeof LEAD_FIELDS)[keyof typeof LEAD_FIELDS] }
  | { scope: "sender"; name: keyof typeof SENDER_FIELDS; key: (typeof SENDER_FIELDS)[keyof typeof SENDER_FIELDS] }
  | { scope: "custom"; name: string; key: string };

export type FieldLookup = { ok: true; ref: FieldRef } | { ok: false; reserved: boolean; message: string };

const KNOWN_NAMES = [...Object.keys(LEAD_FIELDS), ...Object.keys(SENDER_FIELDS)];
const squash = (s: string) => s.toLowerCase().replace(/[_.-]/g, "");

export function lookupField(path: string): FieldLookup {
  if (Object.hasOwn(LEAD_FIELDS, path)) {
    const name = path as keyof typeof LEAD_FIELDS;
    return { ok: true, ref: { scope: "lead", name, key: LEAD_FIELDS[name] } };
  }
  if (Object.hasOwn(SENDER_FIELDS, path)) {
    const name = path as keyof typeof SENDER_FIELDS;
    return { ok: true, ref: { scope: "sender", name, key: SENDER_FIELDS[name] } };
  }
  if (path.startsWith(CUSTOM_PREFIX) && CUSTOM_NAME.test(path.slice(CUSTOM_PREFIX.length))) {
    return { ok: true, ref: { scope: "custom", name: path, key: path.slice(CUSTOM_PREFIX.length) } };
  }
  if (RESERVED.has(path.toLowerCase()) || path.toLowerCase().startsWith("unsubscribe")) {
    return {
      ok: false,
      reserved: true,
      message: `{{${path}}} is reserved: the postal address and unsubscribe link are added to every message automatically.`,
    };
  }
  const hint = KNOWN_NAMES.find((k) => squash(k) === squash(path));
  return {
    ok: false,
    reserved: false,
    message: `Unknown merge field {{${path}}}.${hint ? ` Did you mean {{${hint}}}?` : ""}`,
  };
}

// `name` or `name | default: "text"` (single or double quotes, backslash escapes the quote).
const FIELD_SYNTAX = /^\s*([A-Za-z0-9_.-]+)\s*(?:\|\s*default\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*)?$/;

export type ParsedField = { ok: true; path: string; fallback: string | null } | { ok: false; message: string };

/** Parses what sits between `{{` and `}}`. */
export function parseFieldBody(body: string): ParsedField {
  const m = FIELD_SYNTAX.exec(body);
  if (m) {
    const quoted = m[2] ?? m[3];
    return { ok: true, path: m[1]!, fallback: quoted === undefined ? null : quoted.replace(/\\(.)/g, "$1") };
  }
  if (body.trim() === "") return { ok: false, message: "Empty merge field {{}}." };
  if (body.includes("|")) {
    return { ok: false, message: `Only a fallback may follow "|", written {{field | default: "text"}}; got {{${body.trim()}}}.` };
  }
  return { ok: false, message: `{{${body.trim()}}} is not a merge field; names use letters, digits and _ (e.g. {{first_name}}).` };
}

/** The raw value a field reads; null when the lead or sender has none. */
export function readField(ref: FieldRef, lead: LeadLike, sender: SenderLike): string | null {
  let v: unknown;
  if (ref.scope === "lead") v = lead[ref.key];
  else if (ref.scope === "sender") v = sender[ref.key];
  // hasOwn: {{custom.constructor}} must not read Object.prototype.
  else v = lead.custom && Object.hasOwn(lead.custom, ref.key) ? lead.custom[ref.key] : null;
  if (v === null || v === undefined) return null;
  return typeof v === "string" ? v : String(v);
}
