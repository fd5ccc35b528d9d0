import { z } from "zod";
import { joinTxt, parseTxtStrings } from "../../dns/txt.ts";

/**
 * MailU admin API v1 response shapes (Mailu/Mailu core/admin/mailu/api/v1/*.py, models.py; tag
 * 2024.06.57). Objects are parsed non-strictly: unknown keys are dropped, and with them the user's
 * password hash, which GET /user returns and which must never leave this module.
 */

/** `{"code":N,"message":…}`: every create/update/delete answer and every business error. */
export const MailuStatus = z.object({ code: z.number().int(), message: z.string() });

/** flask-restx `validate=True` failure: HTTP 400. */
export const MailuValidationError = z.object({ errors: z.record(z.string(), z.unknown()), message: z.string() });

/** flask-restx abort(): 401/403/429 from the token check. */
export const MailuAbort = z.object({ message: z.string() });

export interface ZoneRecord {
  /** Owner name, lower-case, no trailing dot. */
  name: string;
  ttl: number;
  type: string;
  /** TXT: the character-strings joined; MX: the exchange host; CNAME: the target host; others: rdata as given. */
  value: string;
  priority?: number;
  /** The zone-file line exactly as MailU returned it. */
  raw: string;
}

const stripDot = (s: string) => s.replace(/\.$/, "").toLowerCase();

/**
 * `<name>. 600 IN <TYPE> <rdata>`. Older MailU releases printed `IN TXT"v=DKIM1…"` with no space,
 * and since 2024 the DKIM value is split into several quoted 250-character strings.
 */
export function parseZoneRecord(line: string): ZoneRecord | null {
  const m = /^(\S+)\s+(\d+)\s+IN\s+([A-Za-z]+)\s*(.*)$/.exec(line.trim());
  if (!m) return null;
  const [, owner, ttl, type, rdata] = m as unknown as [string, string, string, string, string];
  const rec: ZoneRecord = { name: stripDot(owner), ttl: Number(ttl), type: type.toUpperCase(), value: rdata.trim(), raw: line };
  if (rec.type === "TXT") rec.value = joinTxt(parseTxtStrings(rdata));
  else if (rec.type === "MX") {
    const mx = /^(\d+)\s+(\S+)$/.exec(rec.value);
    if (!mx) return null;
    rec.priority = Number(mx[1]);
    rec.value = stripDot(mx[2]!);
  } else if (rec.type === "CNAME") rec.value = stripDot(rec.value);
  return rec;
}

export const ZoneString = z.string().transform((s, ctx) => {
  const r = parseZoneRecord(s);
  if (!r) {
    ctx.addIssue({ code: "custom", message: "not a zone-file record" });
    return z.NEVER;
  }
  return r;
});

export const MailuDomainGet = z.object({
  name: z.string(),
  comment: z.string().nullish(),
  managers: z.array(z.string()).nullish(),
  max_users: z.number().int().nullish(),
  max_aliases: z.number().int().nullish(),
  max_quota_bytes: z.number().int().nullish(),
  signup_enabled: z.boolean().nullish(),
  alternatives: z.array(z.string()).nullish(),
  dns_autoconfig: z.array(ZoneString).nullish(),
  dns_mx: ZoneString.nullish(),
  dns_spf: ZoneString.nullish(),
  dns_dkim: ZoneString.nullish(),
  dns_dmarc: ZoneString.nullish(),
  dns_dmarc_report: ZoneString.nullish(),
  // Declared a list but the model returns one string (or None without Let's Encrypt): accept both.
  dns_tlsa: z.union([z.array(ZoneString), ZoneString.transform((r) => [r])]).nullish(),
});

export const MailuUserGet = z.object({
  email: z.string(),
  comment: z.string().nullish(),
  quota_bytes: z.number().int().nullish(),
  global_admin: z.boolean().nullish(),
  enabled: z.boolean().nullish(),
  enable_imap: z.boolean().nullish(),
  enable_pop: z.boolean().nullish(),
  allow_spoofing: z.boolean().nullish(),
  forward_enabled: z.boolean().nullish(),
  forward_destination: z.array(z.string()).nullish(),
  forward_keep: z.boolean().nullish(),
  displayed_name: z.string().nullish(),
  spam_enabled: z.boolean().nullish(),
});

/** POST /token: the only time MailU shows the raw token. `id` is an integer here, a string elsewhere. */
export const MailuTokenCreated = z.object({
  id: z.union([z.number().int(), z.string().min(1)]).transform(String),
  token: z.string().min(1),
  email: z.string(),
  comment: z.string().nullish(),
  AuthorizedIP: z.array(z.string()).nullish(),
});
