import { createHash, generateKeyPair, randomBytes } from "node:crypto";
import type http from "node:http";
import { clientIp, type FakeServer, sendJson, sendText, serve, slidingWindow } from "./http.ts";

/**
 * A faithful fake of the MailU admin API v1 (Mailu/Mailu core/admin/mailu/api, tag 2024.06.57;
 * INTEGRATIONS.md §3.1), speaking its real shapes and quirks:
 * - `Authorization: <token>` or `Bearer <token>`; none → 401, wrong → 403 and the client's /24 gets
 *   a failure; after `authRateLimit.max` failures in the window every call from it → 429.
 * - flask-restx validation → 400 `{"errors":{field:msg},"message":"Input payload validation failed"}`;
 *   business errors `{"code":N,"message":…}` with HTTP N; GET /domain/<invalid> → HTTP 200 `{"code":400}`.
 * - GET /domain/<d> carries zone-file strings in dns_*; POST /domain/<d>/dkim makes a real RSA key.
 * - GET /user returns the password hash (as MailU does).
 * - An empty API token → every call is an HTML 500 "Error: API_TOKEN is not configured".
 */
export interface FakeMailuDomain {
  name: string;
  comment: string | null;
  maxUsers: number;
  maxAliases: number;
  maxQuotaBytes: number;
  signupEnabled: boolean;
  alternatives: string[];
  managers: string[];
  dkim: { publicKey: string; privateKeyPem: string } | null;
}

export interface FakeMailuUser {
  email: string;
  passwordHash: string;
  comment: string | null;
  quotaBytes: number;
  globalAdmin: boolean;
  enabled: boolean;
  enableImap: boolean;
  enablePop: boolean;
  allowSpoofing: boolean;
  forwardEnabled: boolean;
  forwardDestination: string[];
  forwardKeep: boolean;
  displayedName: string;
  spamEnabled: boolean;
  spamMarkAsRead: boolean;
  spamThreshold: number;
}

export interface FakeMailuToken {
  id: number;
  email: string;
  comment: string | null;
  authorizedIp: string[];
  /** sha256 hex of the token: like MailU, the raw token is shown once and not kept. */
  tokenSha256: string;
  createdAt: string;
}

export interface FakeMailuState {
  domains: Map<string, FakeMailuDomain>;
  users: Map<string, FakeMailuUser>;
  tokens: Map<number, FakeMailuToken>;
  relays: Map<string, { name: string; smtp: string | null; comment: string | null }>;
  /** Every request as received (method, path, Authorization header) — to assert what the client sent. */
  requests: { method: string; path: string; authorization: string | null }[];
}

export interface FakeMailuOptions {
  port?: number;
  token: string;
  /** MailU HOSTNAMES[0]: where dns_mx / dns_spf point. */
  hostname?: string;
  /** MailU DOMAIN: the server's own domain (DMARC report address). */
  serverDomain?: string;
  dkimSelector?: string;
  /** DMARC_RUA local part (the address is <rua>@<serverDomain>); empty = no rua. */
  dmarcRua?: string;
  /** AUTH_RATELIMIT_IP (default 5/hour). */
  authRateLimit?: { max: number; windowMs: number };
  dkimBits?: number;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const DOMAIN_RE = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.[a-z]{2,63}$/i;
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Python repr, as jsonschema quotes values in its messages. */
function pyRepr(v: unknown): string {
  if (typeof v === "string") return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (typeof v === "object")
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
      .join(", ")}}`;
  return String(v);
}

type FieldType = "string" | "integer" | "boolean" | "strings";
type Model = Record<string, { type: FieldType; required?: boolean; min?: number }>;

const DOMAIN_MODEL: Model = {
  name: { type: "string", required: true },
  comment: { type: "string" },
  max_users: { type: "integer", min: -1 },
  max_aliases: { type: "integer", min: -1 },
  max_quota_bytes: { type: "integer", min: 0 },
  signup_enabled: { type: "boolean" },
  alternatives: { type: "strings" },
};
const USER_FIELDS: Model = {
  raw_password: { type: "string" },
  comment: { type: "string" },
  quota_bytes: { type: "integer" },
  global_admin: { type: "boolean" },
  enabled: { type: "boolean" },
  change_pw_next_login: { type: "boolean" },
  enable_imap: { type: "boolean" },
  enable_pop: { type: "boolean" },
  allow_spoofing: { type: "boolean" },
  forward_enabled: { type: "boolean" },
  forward_destination: { type: "strings" },
  forward_keep: { type: "boolean" },
  reply_enabled: { type: "boolean" },
  reply_subject: { type: "string" },
  reply_body: { type: "string" },
  displayed_name: { type: "string" },
  spam_enabled: { type: "boolean" },
  spam_mark_as_read: { type: "boolean" },
  spam_threshold: { type: "integer" },
};
const USER_CREATE: Model = { email: { type: "string", required: true }, ...USER_FIELDS, raw_password: { type: "string", required: true } };
const TOKEN_MODEL: Model = { email: { type: "string", required: true }, comment: { type: "string" }, AuthorizedIP: { type: "strings" } };
const RELAY_MODEL: Model = { name: { type: "string", required: true }, smtp: { type: "string" }, comment: { type: "string" } };

/** jsonschema Draft4 as flask-restx runs it: {path: message} for every failure, {} when valid. */
function validate(model: Model, data: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [key, spec] of Object.entries(model)) {
    if (!(key in data)) {
      if (spec.required) errors[key] = `'${key}' is a required property`;
      continue;
    }
    const v = data[key];
    const typeName = { string: "string", integer: "integer", boolean: "boolean", strings: "array" }[spec.type];
    const ok =
      spec.type === "string"
        ? typeof v === "string"
        : spec.type === "integer"
          ? Number.isInteger(v)
          : spec.type === "boolean"
            ? typeof v === "boolean"
            : Array.isArray(v);
    if (!ok) errors[key] = `${pyRepr(v)} is not of type '${typeName}'`;
    else if (spec.type === "strings") {
      (v as unknown[]).forEach((item, i) => {
        if (typeof item !== "string") errors[`${key}.${i}`] = `${pyRepr(item)} is not of type 'string'`;
      });
    } else if (spec.min !== undefined && (v as number) < spec.min) errors[key] = `${v} is less than the minimum of ${spec.min}`;
  }
  return errors;
}

function fakeBcryptSha256(password: string): string {
  const salt = randomBytes(16).toString("base64").replace(/[+=]/g, ".").slice(0, 22);
  const hash = createHash("sha256").update(`${salt}:${password}`).digest("base64").replace(/[+=]/g, ".").slice(0, 31);
  return `$bcrypt-sha256$v=2,t=2b,r=12$${salt}$${hash}`;
}

const validCidr = (ip: string) => {
  const [addr, bits, extra] = ip.split("/");
  if (extra !== undefined || !addr) return false;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255) && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= 32));
  return /^[0-9a-f:]+$/i.test(addr) && addr.includes(":") && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= 128));
};

export async function startFakeMailu(opts: FakeMailuOptions): Promise<FakeServer<FakeMailuState>> {
  const hostname = opts.hostname ?? "mail.penguinmails.test";
  const serverDomain = opts.serverDomain ?? hostname.split(".").slice(1).join(".");
  const selector = opts.dkimSelector ?? "dkim";
  const rua = opts.dmarcRua ?? "admin";
  const limit = opts.authRateLimit ?? { max: 5, windowMs: 3_600_000 };
  const failures = slidingWindow(limit.windowMs);
  const state: FakeMailuState = { domains: new Map(), users: new Map(), tokens: new Map(), relays: new Map(), requests: [] };
  let nextTokenId = 1;

  const fqdnInUse = (name: string) =>
    state.domains.has(name) || state.relays.has(name) || [...state.domains.values()].some((d) => d.alternatives.includes(name));

  // AUTH_RATELIMIT_IP_V4_MASK=24 / V6_MASK=48: failures count per network, not per address.
  const ipKey = (ip: string) => (ip.includes(":") ? ip.split(":").slice(0, 3).join(":") : ip.split(".").slice(0, 3).join("."));

  function domainGet(d: FakeMailuDomain, skipNone: boolean): Record<string, unknown> {
    const name = d.name;
    const dkimTxt = d.dkim ? `v=DKIM1; k=rsa; p=${d.dkim.publicKey}` : null;
    // models.py (2024): the DKIM value is split into quoted 250-character strings.
    const dkimQuoted = dkimTxt ? (dkimTxt.match(/.{1,250}/g) ?? []).map((p) => `"${p}"`).join(" ") : null;
    const protocols: [string, number, number][] = [
      ["imap", 143, 20],
      ["pop3", 110, 20],
      ["submission", 587, 20],
      ["autodiscover", 443, 10],
      ["submissions", 465, 10],
      ["imaps", 993, 10],
      ["pop3s", 995, 10],
    ];
    const out: Record<string, unknown> = {
      name,
      comment: d.comment,
      managers: d.managers,
      max_users: d.maxUsers,
      max_aliases: d.maxAliases,
      max_quota_bytes: d.maxQuotaBytes,
      signup_enabled: d.signupEnabled,
      alternatives: d.alternatives,
      dns_autoconfig: [
        ...protocols.map(([p, port, prio]) => `_${p}._tcp.${name}. 600 IN SRV ${prio} 1 ${port} ${hostname}.`),
        `autoconfig.${name}. 600 IN CNAME ${hostname}.`,
      ],
      dns_mx: `${name}. 600 IN MX 10 ${hostname}.`,
      dns_spf: `${name}. 600 IN TXT "v=spf1 mx a:${hostname} ~all"`,
      dns_dkim: dkimQuoted ? `${selector}._domainkey.${name}. 600 IN TXT ${dkimQuoted}` : null,
      dns_dmarc: d.dkim
        ? `_dmarc.${name}. 600 IN TXT "v=DMARC1; p=reject;${rua ? ` rua=mailto:${rua}@${serverDomain};` : ""} adkim=s; aspf=s"`
        : null,
      dns_dmarc_report: d.dkim ? `${name}._report._dmarc.${serverDomain}. 600 IN TXT "v=DMARC1"` : null,
      dns_tlsa: [`_25._tcp.${hostname}. 86400 IN TLSA 2 1 1 0b9fa5a59eed715c26c1020c711b4f6ec42d58b0015e14337a39dad301c5afc3`],
    };
    if (skipNone) for (const k of Object.keys(out)) if (out[k] === null) delete out[k];
    return out;
  }

  function userGet(u: FakeMailuUser): Record<string, unknown> {
    return {
      email: u.email,
      password: u.passwordHash,
      comment: u.comment,
      quota_bytes: u.quotaBytes,
      global_admin: u.globalAdmin,
      enabled: u.enabled,
      change_pw_next_login: false,
      enable_imap: u.enableImap,
      enable_pop: u.enablePop,
      allow_spoofing: u.allowSpoofing,
      forward_enabled: u.forwardEnabled,
      forward_destination: u.forwardDestination,
      forward_keep: u.forwardKeep,
      reply_enabled: false,
      reply_subject: null,
      reply_body: null,
      reply_startdate: "1900-01-01",
      reply_enddate: "2999-12-31",
      displayed_name: u.displayedName,
      spam_enabled: u.spamEnabled,
      spam_mark_as_read: u.spamMarkAsRead,
      spam_threshold: u.spamThreshold,
    };
  }

  function applyUser(u: FakeMailuUser, data: Record<string, unknown>): void {
    if (typeof data.raw_password === "string") u.passwordHash = fakeBcryptSha256(data.raw_password);
    if ("comment" in data) u.comment = data.comment as string;
    if ("quota_bytes" in data) u.quotaBytes = data.quota_bytes as number;
    if ("global_admin" in data) u.globalAdmin = data.global_admin as boolean;
    if ("enabled" in data) u.enabled = data.enabled as boolean;
    if ("enable_imap" in data) u.enableImap = data.enable_imap as boolean;
    if ("enable_pop" in data) u.enablePop = data.enable_pop as boolean;
    if ("allow_spoofing" in data) u.allowSpoofing = data.allow_spoofing as boolean;
    if ("forward_enabled" in data) u.forwardEnabled = data.forward_enabled as boolean;
    if ("forward_destination" in data) u.forwardDestination = data.forward_destination as string[];
    if ("forward_keep" in data) u.forwardKeep = data.forward_keep as boolean;
    if ("displayed_name" in data) u.displayedName = data.displayed_name as string;
    if ("spam_enabled" in data) u.spamEnabled = data.spam_enabled as boolean;
    if ("spam_mark_as_read" in data) u.spamMarkAsRead = data.spam_mark_as_read as boolean;
    if ("spam_threshold" in data) u.spamThreshold = data.spam_threshold as number;
  }

  const newRsaKey = () =>
    new Promise<{ publicKey: string; privateKeyPem: string }>((resolve, reject) =>
      generateKeyPair(
        "rsa",
        {
          modulusLength: opts.dkimBits ?? 2048,
          publicKeyEncoding: { type: "spki", format: "der" },
          privateKeyEncoding: { type: "pkcs8", format: "pem" },
        },
        (err, pub, priv) => (err ? reject(err) : resolve({ publicKey: pub.toString("base64"), privateKeyPem: priv })),
      ),
    );

  type Reply = [number, unknown];
  const msg = (code: number, message: string): Reply => [code, { code, message }];

  async function route(method: string, parts: string[], data: Record<string, unknown>): Promise<Reply> {
    const [collection, id, sub, subId] = parts;
    const notFound: Reply = [
      404,
      {
        message: "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
      },
    ];
    const invalid = (errors: Record<string, string>): Reply | null =>
      Object.keys(errors).length ? [400, { errors, message: "Input payload validation failed" }] : null;

    if (collection === "domain" && id === undefined) {
      if (method === "GET") return [200, [...state.domains.values()].map((d) => domainGet(d, true))];
      if (method !== "POST") return [405, { message: "The method is not allowed for the requested URL." }];
      const bad = invalid(validate(DOMAIN_MODEL, data));
      if (bad) return bad;
      const name = (data.name as string).toLowerCase();
      if (!DOMAIN_RE.test(name)) return msg(400, `Domain ${data.name} is not a valid domain`);
      if (fqdnInUse(name)) return msg(409, `Duplicate domain name ${data.name}`);
      const alternatives = ((data.alternatives as string[] | undefined) ?? []).map((a) => a.toLowerCase());
      if (alternatives.some((a, i) => alternatives.indexOf(a) !== i)) return msg(409, "Duplicate alternative domain names in request");
      for (const a of alternatives) {
        if (fqdnInUse(a)) return msg(409, `Duplicate alternative domain name ${a}`);
        if (!DOMAIN_RE.test(a)) return msg(400, `Alternative domain ${a} is not a valid domain`);
      }
      state.domains.set(name, {
        name,
        comment: (data.comment as string | undefined) ?? null,
        maxUsers: (data.max_users as number | undefined) ?? -1,
        maxAliases: (data.max_aliases as number | undefined) ?? -1,
        maxQuotaBytes: (data.max_quota_bytes as number | undefined) ?? 0,
        signupEnabled: (data.signup_enabled as boolean | undefined) ?? false,
        alternatives,
        managers: [],
        dkim: null,
      });
      return msg(200, `Domain ${data.name} has been created`);
    }

    if (collection === "domain" && id !== undefined) {
      const name = id.toLowerCase();
      if (sub === undefined) {
        // Quirk (domain.py): an invalid name on GET is answered {"code":400} with HTTP 200.
        if (!DOMAIN_RE.test(name)) return [method === "GET" ? 200 : 400, { code: 400, message: `Domain ${id} is not a valid domain` }];
        const d = state.domains.get(name);
        if (!d) return msg(404, `Domain ${id} does not exist`);
        if (method === "GET") return [200, domainGet(d, false)];
        if (method === "DELETE") {
          state.domains.delete(name);
          for (const [email, u] of state.users) if (u.email.endsWith(`@${name}`)) state.users.delete(email);
          for (const [tid, t] of state.tokens) if (t.email.endsWith(`@${name}`)) state.tokens.delete(tid);
          return msg(200, `Domain ${id} has been deleted`);
        }
        if (method === "PATCH") {
          const { name: _ignored, ...rest } = DOMAIN_MODEL;
          const bad = invalid(validate(rest, data));
          if (bad) return bad;
          if ("comment" in data) d.comment = data.comment as string;
          if ("max_users" in data) d.maxUsers = data.max_users as number;
          if ("max_aliases" in data) d.maxAliases = data.max_aliases as number;
          if ("max_quota_bytes" in data) d.maxQuotaBytes = data.max_quota_bytes as number;
          if ("signup_enabled" in data) d.signupEnabled = data.signup_enabled as boolean;
          return msg(200, `Domain ${id} has been updated`);
        }
        return [405, { message: "The method is not allowed for the requested URL." }];
      }
      if (sub === "dkim" && subId === undefined && method === "POST") {
        if (!DOMAIN_RE.test(name)) return msg(400, `Domain ${id} is not a valid domain`);
        const d = state.domains.get(name);
        if (!d) return msg(404, `Domain ${id} does not exist`);
        d.dkim = await newRsaKey();
        return msg(200, `DKIM/DMARC keys have been generated for domain ${id}`);
      }
      if (sub === "users" && subId === undefined && method === "GET") {
        if (!state.domains.has(name)) return msg(404, `Domain ${id} does not exist`);
        return [200, [...state.users.values()].filter((u) => u.email.endsWith(`@${name}`)).map(userGet)];
      }
      return notFound;
    }

    if (collection === "user" && id === undefined) {
      if (method === "GET") return [200, [...state.users.values()].map(userGet)];
      if (method !== "POST") return [405, { message: "The method is not allowed for the requested URL." }];
      const bad = invalid(validate(USER_CREATE, data));
      if (bad) return bad;
      const email = (data.email as string).toLowerCase();
      if (!EMAIL_RE.test(email)) return msg(400, `Provided email address ${data.email} is not a valid email address`);
      const domainName = email.split("@")[1]!;
      const domain = state.domains.get(domainName);
      if (!domain) return msg(404, `Domain ${domainName} does not exist`);
      if (state.users.has(email)) return msg(409, `User ${data.email} already exists`);
      if (domain.maxUsers >= 0 && [...state.users.values()].filter((u) => u.email.endsWith(`@${domainName}`)).length >= domain.maxUsers) {
        return msg(409, `Too many users for domain ${domainName}`);
      }
      const user: FakeMailuUser = {
        email,
        passwordHash: "",
        comment: null,
        quotaBytes: 1_000_000_000,
        globalAdmin: false,
        enabled: true,
        enableImap: true,
        enablePop: true,
        allowSpoofing: false,
        forwardEnabled: false,
        forwardDestination: [],
        forwardKeep: true,
        displayedName: "",
        spamEnabled: true,
        spamMarkAsRead: true,
        spamThreshold: 80,
      };
      applyUser(user, data);
      state.users.set(email, user);
      return msg(200, `User ${data.email} has been created`);
    }

    if (collection === "user" && id !== undefined && sub === undefined) {
      const email = id.toLowerCase();
      if (!EMAIL_RE.test(email)) return msg(400, `Provided email address ${id} is not a valid email address`);
      const u = state.users.get(email);
      if (!u) return msg(404, `User ${id} cannot be found`);
      if (method === "GET") return [200, userGet(u)];
      if (method === "DELETE") {
        state.users.delete(email);
        for (const [tid, t] of state.tokens) if (t.email === email) state.tokens.delete(tid);
        return msg(200, `User ${id} has been deleted`);
      }
      if (method === "PATCH") {
        const bad = invalid(validate(USER_FIELDS, data));
        if (bad) return bad;
        applyUser(u, data);
        return msg(200, `User ${id} has been updated`);
      }
      return [405, { message: "The method is not allowed for the requested URL." }];
    }

    if (collection === "token") {
      if (id === undefined && method === "GET") return [200, [...state.tokens.values()].map(tokenGet)];
      if (id === undefined && method === "POST") {
        const bad = invalid(validate(TOKEN_MODEL, data));
        if (bad) return bad;
        const email = (data.email as string).toLowerCase();
        if (!EMAIL_RE.test(email)) return msg(400, `Provided email address ${data.email} is not a valid email address`);
        if (!state.users.has(email)) return msg(404, `User ${data.email} cannot be found`);
        const ips = (data.AuthorizedIP as string[] | undefined) ?? [];
        for (const ip of ips) {
          if (!validCidr(ip) && !ip.toUpperCase().startsWith("ASN"))
            return msg(400, `Provided AuthorizedIP ${ip} in ${pyRepr(ips)} is invalid`);
        }
        const raw = randomBytes(16).toString("hex"); // passlib genword(entropy=128, length=32, charset="hex")
        const t: FakeMailuToken = {
          id: nextTokenId++,
          email,
          comment: (data.comment as string | undefined) ?? null,
          authorizedIp: ips,
          tokenSha256: sha256(raw),
          createdAt: new Date().toISOString().slice(0, 10),
        };
        state.tokens.set(t.id, t);
        return [200, { id: t.id, token: raw, email: t.email, comment: t.comment, AuthorizedIP: t.authorizedIp, Created: t.createdAt }];
      }
      if (id === "user" && sub !== undefined && method === "GET") {
        const email = sub.toLowerCase();
        if (!state.users.has(email)) return msg(404, `User ${sub} cannot be found`);
        return [200, [...state.tokens.values()].filter((t) => t.email === email).map(tokenGet)];
      }
      if (id !== undefined && sub === undefined) {
        const t = state.tokens.get(Number(id));
        if (!t) return msg(404, `Record cannot be found for id ${id} or invalid id provided`);
        if (method === "GET") return [200, tokenGet(t)];
        if (method === "DELETE") {
          state.tokens.delete(t.id);
          return msg(200, `Token with id ${id} has been deleted`);
        }
      }
      return notFound;
    }

    if (collection === "relay" && id === undefined && method === "POST") {
      const bad = invalid(validate(RELAY_MODEL, data));
      if (bad) return bad;
      const name = (data.name as string).toLowerCase();
      if (!DOMAIN_RE.test(name)) return msg(400, `Relayed domain ${data.name} is not a valid domain`);
      if (fqdnInUse(name)) return msg(409, `Duplicate domain name ${data.name}`);
      state.relays.set(name, {
        name,
        smtp: (data.smtp as string | undefined) ?? null,
        comment: (data.comment as string | undefined) ?? null,
      });
      return msg(200, `Relayed domain ${data.name} has been created`);
    }
    return notFound;
  }

  function tokenGet(t: FakeMailuToken) {
    return { id: t.id, email: t.email, comment: t.comment, AuthorizedIP: t.authorizedIp, Created: t.createdAt, "Last edit": t.createdAt };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const authorization = typeof req.headers.authorization === "string" ? req.headers.authorization : null;
    state.requests.push({ method, path: url.pathname, authorization });
    if (!url.pathname.startsWith("/api/v1/")) return sendText(res, 404, "<h1>Not Found</h1>", "text/html");
    if (opts.token.length < 4) return sendText(res, 500, "Error: API_TOKEN is not configured", "text/html");

    // common.api_token_authorization: rate limit, then header present, then constant-time compare.
    const key = ipKey(clientIp(req));
    if (failures.count(key) >= limit.max) return sendJson(res, 429, { message: "Too many attempts from your IP (rate-limit)" });
    if (!authorization) return sendJson(res, 401, { message: "A valid Authorization header is mandatory" });
    if (authorization.replace(/^Bearer /, "") !== opts.token) {
      failures.hit(key);
      return sendJson(res, 403, { message: "Invalid API token" });
    }

    let data: Record<string, unknown> = {};
    if (method === "POST" || method === "PATCH" || method === "PUT") {
      const expectsBody = !/\/dkim$/.test(url.pathname);
      if (expectsBody) {
        if (!String(req.headers["content-type"] ?? "").includes("application/json")) {
          return sendJson(res, 415, {
            message: "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.",
          });
        }
        try {
          const parsed: unknown = JSON.parse(body);
          if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
            return sendJson(res, 400, {
              errors: { "": `${pyRepr(parsed)} is not of type 'object'` },
              message: "Input payload validation failed",
            });
          }
          data = parsed as Record<string, unknown>;
        } catch {
          return sendJson(res, 400, { message: "Failed to decode JSON object" });
        }
      }
    }
    const parts = url.pathname.slice("/api/v1/".length).split("/").filter(Boolean).map(decodeURIComponent);
    const [status, payload] = await route(method, parts, data);
    sendJson(res, status, payload);
  }

  const { origin, close } = await serve(opts.port ?? 0, handle);
  return { url: `${origin}/api/v1`, state, close };
}
