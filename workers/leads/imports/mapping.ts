/**
 * Column mapping: which CSV column feeds which lead field. Targets are the standard fields, a
 * custom attribute (`custom.<key>`) or nothing. Auto-detection matches the header names other
 * tools export (Apollo, Instantly, Smartlead, HubSpot, LinkedIn Sales Navigator).
 */
export const STANDARD_TARGETS = [
  "email",
  "firstName",
  "lastName",
  "company",
  "title",
  "phone",
  "website",
  "city",
  "country",
  "timezone",
  "consentBasis",
  "consentSource",
  "consentCollectedAt",
] as const;
export type StandardTarget = (typeof STANDARD_TARGETS)[number];
export type Target = StandardTarget | `custom.${string}` | "ignore";

const SYNONYMS: Record<StandardTarget, string[]> = {
  email: ["email", "e-mail", "email address", "e-mail address", "work email", "business email", "mail", "emailaddress"],
  firstName: ["first name", "firstname", "first", "given name", "fname", "prenom", "vorname"],
  lastName: ["last name", "lastname", "last", "surname", "family name", "lname", "nachname"],
  company: ["company", "company name", "organization", "organisation", "account name", "account", "employer", "firma"],
  title: ["title", "job title", "position", "role", "designation", "headline"],
  phone: ["phone", "phone number", "mobile", "mobile phone", "telephone", "tel", "work phone"],
  website: ["website", "company website", "url", "domain", "company domain", "web"],
  city: ["city", "town", "location city"],
  country: ["country", "country name", "location country"],
  timezone: ["timezone", "time zone", "tz"],
  consentBasis: ["lawful basis", "consent basis", "legal basis"],
  consentSource: ["consent source", "source of consent"],
  consentCollectedAt: ["consent date", "consent collected at", "opt in date", "opt-in date"],
};

const norm = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[_\-.]+/g, " ")
    .replace(/\s+/g, " ");

/** Header → target guesses; each standard target is used at most once, custom fields by key. */
export function autoMapping(headers: string[], customKeys: string[]): Record<string, Target> {
  const used = new Set<string>();
  const out: Record<string, Target> = {};
  for (const h of headers) {
    const n = norm(h);
    let target: Target = "ignore";
    for (const t of STANDARD_TARGETS) {
      if (!used.has(t) && (SYNONYMS[t].some((syn) => norm(syn) === n) || n.replace(/ /g, "") === t.toLowerCase())) {
        target = t;
        break;
      }
    }
    if (target === "ignore") {
      const key = n.replace(/ /g, "_");
      if (customKeys.includes(key) && !used.has(`custom.${key}`)) target = `custom.${key}`;
    }
    if (target !== "ignore") used.add(target);
    out[h] = target;
  }
  return out;
}

/** Checks a user-edited mapping: exactly one e-mail column, no target twice, known targets only. */
export function mappingProblems(mapping: Record<string, string>, headers: string[], customKeys: string[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [col, target] of Object.entries(mapping)) {
    if (!headers.includes(col)) problems.push(`Column "${col}" is not in the file.`);
    if (target === "ignore") continue;
    const ok =
      (STANDARD_TARGETS as readonly string[]).includes(target) || (target.startsWith("custom.") && customKeys.includes(target.slice(7)));
    if (!ok) problems.push(`"${target}" is not a lead field (define custom fields first).`);
    if (seen.has(target)) problems.push(`Both "${seen.get(target)}" and "${col}" map to ${target}.`);
    seen.set(target, col);
  }
  if (!seen.has("email")) problems.push("Map one column to E-mail.");
  return problems;
}
