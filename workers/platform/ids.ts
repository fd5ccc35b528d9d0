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
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let rand = "";
  for (let i = 0; i < 16; i++) rand += ALPHABET[(bytes[i] as number) % 32];
  return `${prefix}_${time}${rand}`;
}

const ID_RE = /^[a-z]{3}_[0-9A-HJKMNP-TV-Z]{26}$/;

/** True when `value` looks like an id with this prefix (used to reject junk before a query). */
export function isId(value: string, prefix?: IdPrefix): boolean {
  return ID_RE.test(value) && (prefix === undefined || value.startsWith(`${prefix}_`));
}
