import { codeForStatus, parseRetryAfter, scrubSecrets, VendorError, type VendorErrorCode } from "../errors.ts";
import { type Fetcher, joinUrl, parseBody, send, type VendorResponse } from "../http.ts";
import {
  MailuAbort,
  MailuDomainGet,
  MailuStatus,
  MailuTokenCreated,
  MailuUserGet,
  MailuValidationError,
  type ZoneRecord,
} from "./schemas.ts";

/**
 * The MailU admin API (/api/v1) behind a small port. See README.md for the quirks it absorbs.
 * `baseUrl` includes the prefix: `https://mail.example.com/api/v1`.
 */
export interface MailuDomain {
  name: string;
  comment: string | null;
  managers: string[];
  maxUsers: number;
  maxAliases: number;
  maxQuotaBytes: number;
  signupEnabled: boolean;
  alternatives: string[];
  /** MailU's own suggestions, parsed from its zone-file strings (null until it has a DKIM key, for dkim/dmarc). */
  dns: {
    mx: ZoneRecord | null;
    spf: ZoneRecord | null;
    dkim: ZoneRecord | null;
    dmarc: ZoneRecord | null;
    dmarcReport: ZoneRecord | null;
    autoconfig: ZoneRecord[];
    tlsa: ZoneRecord[];
  };
}

export interface MailuDkim {
  selector: string;
  /** `<selector>._domainkey.<domain>` */
  name: string;
  /** `v=DKIM1; k=rsa; p=…`, strings joined. */
  value: string;
  publicKey: string;
  /** MailU's zone-file line. */
  record: string;
}

export interface CreateDomainOptions {
  comment?: string;
  maxUsers?: number;
  maxAliases?: number;
  maxQuotaBytes?: number;
}

export interface MailuUserInput {
  email: string;
  rawPassword: string;
  quotaBytes?: number;
  forwardEnabled?: boolean;
  forwardDestination?: string[];
  forwardKeep?: boolean;
  displayedName?: string;
  comment?: string;
  enabled?: boolean;
  /** Lets the user send as another From than its login (postfix reject_authenticated_sender_login_mismatch). */
  allowSpoofing?: boolean;
  enableImap?: boolean;
  enablePop?: boolean;
  spamEnabled?: boolean;
}

export type MailuUserUpdate = Partial<Omit<MailuUserInput, "email">>;

/** A user as MailU reports it, minus the password hash. */
export interface MailuUser {
  email: string;
  quotaBytes: number | null;
  enabled: boolean;
  allowSpoofing: boolean;
  forwardEnabled: boolean;
  forwardDestination: string[];
  forwardKeep: boolean;
  displayedName: string;
  comment: string | null;
}

export interface Mailu {
  createDomain(name: string, opts?: CreateDomainOptions): Promise<void>;
  getDomain(name: string): Promise<MailuDomain>;
  /** POST /domain/{d}/dkim (new 2048-bit key; replaces any old one), then GET /domain/{d} for dns_dkim. */
  generateDkim(domain: string): Promise<MailuDkim>;
  deleteDomain(name: string): Promise<void>;
  createUser(input: MailuUserInput): Promise<void>;
  getUser(email: string): Promise<MailuUser>;
  updateUser(email: string, patch: MailuUserUpdate): Promise<void>;
  deleteUser(email: string): Promise<void>;
  /** An app token usable as the SMTP AUTH password, optionally limited to source IPs/networks. */
  createToken(input: { email: string; comment?: string; authorizedIp?: string[] }): Promise<{ id: string; token: string }>;
}

type Json = Record<string, unknown>;

function userBody(u: MailuUserUpdate): Json {
  const body: Json = {
    raw_password: u.rawPassword,
    quota_bytes: u.quotaBytes,
    forward_enabled: u.forwardEnabled,
    forward_destination: u.forwardDestination,
    forward_keep: u.forwardKeep,
    displayed_name: u.displayedName,
    comment: u.comment,
    enabled: u.enabled,
    allow_spoofing: u.allowSpoofing,
    enable_imap: u.enableImap,
    enable_pop: u.enablePop,
    spam_enabled: u.spamEnabled,
  };
  // MailU applies only the keys present ("if 'x' in data"), so absent must mean absent, not null.
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return body;
}

const stripHtml = (s: string) => s.replace(/<[^>]*>/g, " ");

// 401 = no Authorization header; 403 = wrong token (and the IP's failure count goes up); both are
// "fix the credential". Everything else means what HTTP says.
function mailuCode(status: number): VendorErrorCode {
  return status === 403 ? "auth" : codeForStatus(status);
}

function toError(res: VendorResponse, secrets: readonly string[]): VendorError | null {
  const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
  const extra = retryAfter === undefined ? {} : { retryAfter };
  if (res.status >= 200 && res.status < 300) {
    // Quirk: GET /domain/<invalid> answers HTTP 200 with {"code":400,…}. Any body code ≥ 400 is an error.
    const body = MailuStatus.safeParse(res.json);
    if (body.success && body.data.code >= 400) {
      return new VendorError("mailu", mailuCode(body.data.code), body.data.code, scrubSecrets(body.data.message, secrets), extra);
    }
    return null;
  }
  const validation = MailuValidationError.safeParse(res.json);
  if (validation.success) {
    const fields = Object.fromEntries(Object.entries(validation.data.errors).map(([k, v]) => [k, scrubSecrets(String(v), secrets)]));
    const detail = Object.entries(fields)
      .map(([k, v]) => `${k}: ${v}`)
      .join("; ");
    return new VendorError("mailu", "invalid", res.status, scrubSecrets(`${validation.data.message} (${detail})`, secrets), {
      ...extra,
      fields,
    });
  }
  const abort = MailuAbort.safeParse(res.json);
  const message = abort.success ? abort.data.message : stripHtml(res.text) || `HTTP ${res.status}`;
  // With API_TOKEN unset MailU serves an HTML 500 for every /api call: a configuration fault, not an outage.
  const code = /API_TOKEN is not configured/.test(message) ? "auth" : mailuCode(res.status);
  return new VendorError("mailu", code, res.status, scrubSecrets(message, secrets), extra);
}

export function mailuHttp(cfg: { baseUrl: string; token: string }, fetcher: Fetcher = fetch): Mailu {
  async function call(
    method: string,
    path: string,
    body?: Json,
    extraSecrets: readonly (string | undefined)[] = [],
  ): Promise<VendorResponse> {
    const secrets = [cfg.token, ...extraSecrets].filter((s): s is string => Boolean(s));
    const headers: Record<string, string> = { accept: "application/json" };
    // MailU accepts "Bearer <t>" or the bare token. Without a token we send no header (→ 401), not "Bearer ".
    if (cfg.token) headers.authorization = `Bearer ${cfg.token}`;
    if (body) headers["content-type"] = "application/json";
    const res = await send(
      "mailu",
      fetcher,
      joinUrl(cfg.baseUrl, path),
      { method, headers, body: body ? JSON.stringify(body) : undefined },
      secrets,
    );
    const err = toError(res, secrets);
    if (err) throw err;
    return res;
  }
  const seg = encodeURIComponent;

  async function getDomain(name: string): Promise<MailuDomain> {
    const res = await call("GET", `/domain/${seg(name)}`);
    const d = parseBody("mailu", MailuDomainGet, res.json, "GET /domain", res.status);
    return {
      name: d.name,
      comment: d.comment ?? null,
      managers: d.managers ?? [],
      maxUsers: d.max_users ?? -1,
      maxAliases: d.max_aliases ?? -1,
      maxQuotaBytes: d.max_quota_bytes ?? 0,
      signupEnabled: d.signup_enabled ?? false,
      alternatives: d.alternatives ?? [],
      dns: {
        mx: d.dns_mx ?? null,
        spf: d.dns_spf ?? null,
        dkim: d.dns_dkim ?? null,
        dmarc: d.dns_dmarc ?? null,
        dmarcReport: d.dns_dmarc_report ?? null,
        autoconfig: d.dns_autoconfig ?? [],
        tlsa: d.dns_tlsa ?? [],
      },
    };
  }

  return {
    async createDomain(name, opts = {}) {
      const body: Json = {
        name,
        comment: opts.comment,
        max_users: opts.maxUsers,
        max_aliases: opts.maxAliases,
        max_quota_bytes: opts.maxQuotaBytes,
      };
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      await call("POST", "/domain", body);
    },
    getDomain,
    async generateDkim(domain) {
      await call("POST", `/domain/${seg(domain)}/dkim`);
      const dkim = (await getDomain(domain)).dns.dkim;
      const publicKey = dkim ? /(?:^|;)\s*p=([A-Za-z0-9+/=]+)/.exec(dkim.value)?.[1] : undefined;
      if (!dkim || !publicKey) throw new VendorError("mailu", "unavailable", 200, `no DKIM record for ${domain} after generating a key`);
      return { selector: dkim.name.split("._domainkey.")[0]!, name: dkim.name, value: dkim.value, publicKey, record: dkim.raw };
    },
    async deleteDomain(name) {
      await call("DELETE", `/domain/${seg(name)}`);
    },
    async createUser(input) {
      await call("POST", "/user", { email: input.email, ...userBody(input) }, [input.rawPassword]);
    },
    async getUser(email) {
      const res = await call("GET", `/user/${seg(email)}`);
      const u = parseBody("mailu", MailuUserGet, res.json, "GET /user", res.status);
      return {
        email: u.email,
        quotaBytes: u.quota_bytes ?? null,
        enabled: u.enabled ?? true,
        allowSpoofing: u.allow_spoofing ?? false,
        forwardEnabled: u.forward_enabled ?? false,
        forwardDestination: u.forward_destination ?? [],
        forwardKeep: u.forward_keep ?? true,
        displayedName: u.displayed_name ?? "",
        comment: u.comment ?? null,
      };
    },
    async updateUser(email, patch) {
      await call("PATCH", `/user/${seg(email)}`, userBody(patch), [patch.rawPassword]);
    },
    async deleteUser(email) {
      await call("DELETE", `/user/${seg(email)}`);
    },
    async createToken(input) {
      const body: Json = { email: input.email };
      if (input.comment !== undefined) body.comment = input.comment;
      if (input.authorizedIp !== undefined) body.AuthorizedIP = input.authorizedIp;
      const res = await call("POST", "/token", body);
      const t = parseBody("mailu", MailuTokenCreated, res.json, "POST /token", res.status);
      return { id: t.id, token: t.token };
    },
  };
}
