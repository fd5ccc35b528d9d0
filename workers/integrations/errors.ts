/**
 * The one error every vendor client throws. `code` says what the caller can do about it:
 * auth (credential missing or wrong) · forbidden (credential fine, not allowed) · rate_limited
 * (retry after `retryAfter` seconds when known) · conflict · not_found · invalid (our request was
 * wrong: do not retry) · unavailable (network, 5xx, or a response we could not parse: retry later).
 * Messages never carry secrets: clients pass every token/password they sent to `scrubSecrets`.
 */
export type VendorName = "mailu" | "hostwinds" | "cloudflare" | "doh";
export type VendorErrorCode = "auth" | "forbidden" | "rate_limited" | "conflict" | "not_found" | "invalid" | "unavailable";

export class VendorError extends Error {
  override readonly name = "VendorError";
  readonly vendor: VendorName;
  readonly code: VendorErrorCode;
  /** HTTP status, or the status the vendor put in its body (MailU's HTTP-200 `{"code":400}`); null on network failure. */
  readonly status: number | null;
  /** Seconds, from Retry-After, when the vendor said. */
  readonly retryAfter?: number;
  /** Per-field validation messages (MailU's `errors` object). */
  readonly fields?: Record<string, string>;
  constructor(
    vendor: VendorName,
    code: VendorErrorCode,
    status: number | null,
    message: string,
    extra: { retryAfter?: number; fields?: Record<string, string> } = {},
  ) {
    super(`${vendor}: ${message}`);
    this.vendor = vendor;
    this.code = code;
    this.status = status;
    if (extra.retryAfter !== undefined) this.retryAfter = extra.retryAfter;
    if (extra.fields) this.fields = extra.fields;
  }

  /** Transient: the same request may succeed later. */
  get retryable(): boolean {
    return this.code === "rate_limited" || this.code === "unavailable";
  }
}

export const isVendorError = (err: unknown): err is VendorError => err instanceof VendorError;

const MAX_MESSAGE = 300;

/**
 * Replaces every secret (and anything shaped like a password hash) with [redacted], and caps the
 * length: vendor messages can echo request values, and HTML error pages are long.
 */
export function scrubSecrets(text: string, secrets: readonly (string | undefined | null)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join("[redacted]");
  }
  // bcrypt / passlib / crypt(3) hashes ($2b$…, $bcrypt-sha256$…, $pbkdf2-sha256$…, {SHA512-CRYPT}$6$…).
  out = out.replace(/(\{[A-Z0-9-]+\})?\$[a-z0-9-]{1,20}\$[^\s"'})\]]{8,}/gi, "[redacted]");
  out = out.replace(/\s+/g, " ").trim();
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out;
}

/** HTTP status → code, for vendors whose statuses mean what HTTP says. */
export function codeForStatus(status: number): VendorErrorCode {
  if (status === 401) return "auth";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 429) return "rate_limited";
  if (status >= 500 || status === 408) return "unavailable";
  return "invalid";
}

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
