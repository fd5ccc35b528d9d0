import { type AttrValue, coerceAttribute, type FieldType } from "../attributes.ts";
import { normalizeEmail } from "../email.ts";

export interface ImportedLead {
  email: string;
  emailDomain: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
  phone: string | null;
  website: string | null;
  city: string | null;
  country: string | null;
  timezone: string | null;
  consentBasis: "consent" | "legitimate_interest" | "contract" | "other" | null;
  consentSource: string | null;
  consentCollectedAt: Date | null;
  attributes: Record<string, AttrValue>;
}

const LIMITS: Record<string, number> = {
  firstName: 100,
  lastName: 100,
  company: 200,
  title: 200,
  phone: 50,
  website: 500,
  city: 100,
  country: 100,
  consentSource: 200,
};
const BASES = new Set(["consent", "legitimate_interest", "contract", "other"]);
const zoneCache = new Map<string, boolean>();

function validZone(tz: string): boolean {
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(tz, ok);
  }
  return ok;
}

/**
 * One CSV row → a lead, or the reason it cannot be imported. Pure; `columns` is the mapping
 * resolved to header positions. Cells are trimmed; control characters are removed.
 */
export function rowToLead(
  fields: string[],
  columns: { index: number; target: string }[],
  customTypes: Map<string, FieldType>,
): { lead: ImportedLead } | { error: string; email?: string } {
  const lead: ImportedLead = {
    email: "",
    emailDomain: "",
    firstName: null,
    lastName: null,
    company: null,
    title: null,
    phone: null,
    website: null,
    city: null,
    country: null,
    timezone: null,
    consentBasis: null,
    consentSource: null,
    consentCollectedAt: null,
    attributes: {},
  };
  let rawEmail = "";
  for (const { index, target } of columns) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    const cell = (fields[index] ?? "").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").trim();
    if (target === "email") rawEmail = cell;
    else if (cell === "") continue;
    else if (target.startsWith("custom.")) {
      const key = target.slice(7);
      const r = coerceAttribute(customTypes.get(key) ?? "text", cell);
      if ("error" in r) return { error: `${key} ${r.error}`, email: rawEmail || undefined };
      lead.attributes[key] = r.value;
    } else if (target === "timezone") {
      if (!validZone(cell)) return { error: `unknown time zone "${cell.slice(0, 40)}"`, email: rawEmail || undefined };
      lead.timezone = cell;
    } else if (target === "consentBasis") {
      const b = cell.toLowerCase().replace(/[\s-]+/g, "_");
      if (!BASES.has(b))
        return { error: `lawful basis must be consent, legitimate_interest, contract or other`, email: rawEmail || undefined };
      lead.consentBasis = b as ImportedLead["consentBasis"];
    } else if (target === "consentCollectedAt") {
      const d = new Date(cell);
      if (Number.isNaN(d.getTime())) return { error: "consent date is not a date", email: rawEmail || undefined };
      lead.consentCollectedAt = d;
    } else {
      (lead as unknown as Record<string, string>)[target] = cell.slice(0, LIMITS[target] ?? 200);
    }
  }
  if (!rawEmail) return { error: "e-mail is empty" };
  const n = normalizeEmail(rawEmail);
  if (!n) return { error: `"${rawEmail.slice(0, 80)}" is not a valid e-mail address`, email: rawEmail.slice(0, 254) };
  lead.email = n.email;
  lead.emailDomain = n.domain;
  return { lead };
}
