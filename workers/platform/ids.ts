/**
 * Prefixed, sortable ids (`ten_01JD…`): a 48-bit millisecond timestamp then 80 random bits,
 * Crockford base32 — the ULID layout, so ids sort by creation and B-tree inserts stay local.
 */
export const ID_PREFIXES = {
  tenant: "ten",
  user: "usr",
  workspace: "wsp",
  membership: "mem",
  session: "ses",
  audit: "aud",
  request: "req",
  apiKey: "key",
  invitation: "inv",
  emailToken: "etk",
  mail: "pml",
  lead: "led",
  leadList: "lst",
  leadImport: "imp",
  suppression: "sup",
  template: "tpl",
  mailbox: "mbx",
  campaign: "cmp",
  step: "stp",
  variant: "var",
  enrollment: "enr",
  send: "snd",
  event: "evt",
  thread: "thr",
  trackingDomain: "tdm",
  message: "msg",
  node: "nod",
  domain: "dom",
  domainRecord: "dnr",
  provisioningRun: "run",
  syncRun: "syn",
} as const;

export type IdPrefix = (typeof ID_PREFIXES)[keyof typeof ID_PREFIXES];

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export function newId(prefix: IdPrefix, now = Date.now()): string {
  return `${prefix}_${timePart(now)}${crockford(crypto.getRandomValues(new Uint8Array(16)))}`;
}

/**
 * A deterministic id in newId's layout: the time part from `at`, the other 80 bits from
 * SHA-256(seed). The same seed always gives the same id, so work redelivered by a queue writes the
 * same primary key again and `ON CONFLICT DO NOTHING` skips it.
 */
export async function idFromSeed(prefix: IdPrefix, seed: string, at: number): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(seed));
  return `${prefix}_${timePart(at)}${crockford(new Uint8Array(digest, 0, 16))}`;
}

/** 48-bit milliseconds as 10 Crockford characters (clamped, so any number gives a valid id). */
function timePart(ms: number): string {
  let t = Math.min(2 ** 48 - 1, Math.max(0, Math.floor(ms) || 0));
  let time = "";
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

/** 16 characters: the low 5 bits of each of the first 16 bytes. */
function crockford(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < 16; i++) out += ALPHABET[(bytes[i] as number) % 32];
  return out;
}

const ID_RE = /^[a-z]{3}_[0-9A-HJKMNP-TV-Z]{26}$/;

/** True when `value` looks like an id with this prefix (used to reject junk before a query). */
export function isId(value: string, prefix?: IdPrefix): boolean {
  return ID_RE.test(value) && (prefix === undefined || value.startsWith(`${prefix}_`));
}
