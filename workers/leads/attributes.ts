import { AppError } from "../platform/errors.ts";

export type FieldType = "text" | "number" | "date" | "boolean" | "url";
export type AttrValue = string | number | boolean | null;

/**
 * Coerces one custom attribute to its declared type (CSV cells arrive as text). Returns an error
 * message instead of a value when it cannot be coerced.
 */
export function coerceAttribute(type: FieldType, raw: AttrValue): { value: AttrValue } | { error: string } {
  if (raw === null || raw === "") return { value: null };
  switch (type) {
    case "text":
      return { value: String(raw).slice(0, 2000) };
    case "number": {
      const n = typeof raw === "number" ? raw : Number(String(raw).replace(/,/g, ""));
      return Number.isFinite(n) ? { value: n } : { error: "is not a number" };
    }
    case "boolean": {
      if (typeof raw === "boolean") return { value: raw };
      const s = String(raw).trim().toLowerCase();
      if (["true", "yes", "1", "y"].includes(s)) return { value: true };
      if (["false", "no", "0", "n"].includes(s)) return { value: false };
      return { error: "is not yes/no" };
    }
    case "date": {
      const d = new Date(String(raw));
      return Number.isNaN(d.getTime()) ? { error: "is not a date" } : { value: d.toISOString().slice(0, 10) };
    }
    case "url": {
      try {
        const u = new URL(/^https?:\/\//i.test(String(raw)) ? String(raw) : `https://${raw}`);
        return { value: u.toString() };
      } catch {
        return { error: "is not a URL" };
      }
    }
  }
}

/** Validates a whole attributes object against the tenant's field definitions; throws BAD_REQUEST listing problems. */
export function coerceAttributes(defs: Map<string, FieldType>, attrs: Record<string, AttrValue>): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  const problems: { path: string; message: string }[] = [];
  for (const [key, raw] of Object.entries(attrs)) {
    const type = defs.get(key);
    if (!type) {
      problems.push({ path: `attributes.${key}`, message: "Unknown custom field; define it first" });
      continue;
    }
    const r = coerceAttribute(type, raw);
    if ("error" in r) problems.push({ path: `attributes.${key}`, message: `Value ${r.error}` });
    else out[key] = r.value;
  }
  if (problems.length) throw new AppError("BAD_REQUEST", "Some custom fields are invalid.", { issues: problems });
  return out;
}
