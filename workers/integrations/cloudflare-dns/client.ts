import type { z } from "zod";
import { codeForStatus, parseRetryAfter, scrubSecrets, VendorError, type VendorErrorCode } from "../errors.ts";
import { type Fetcher, joinUrl, parseBody, send } from "../http.ts";
import { CfDeleteEnvelope, type CfDnsRecordWire, CfFailure, type CfMessage, CfRecordEnvelope, CfRecordListEnvelope } from "./schemas.ts";

/**
 * Cloudflare DNS records API (the `DnsZone` port: writing records). Bearer API token with Zone.DNS
 * Edit. The account-wide limit is 1,200 requests / 5 min, answered with 429 + Retry-After.
 */
export type CfRecordType = "A" | "AAAA" | "CNAME" | "MX" | "TXT";

export interface DnsRecordInput {
  type: CfRecordType;
  /** FQDN (punycode). */
  name: string;
  /** TXT: one value (Cloudflare splits >255 bytes) or quoted strings `"a" "b"`. */
  content: string;
  /** 1 = automatic, else 60–86400. */
  ttl: number;
  priority?: number;
  /** Must stay false for anything pointing outside Cloudflare (mail hosts, tracking CNAMEs). */
  proxied?: boolean;
  comment?: string;
}

export interface CfDnsRecord {
  id: string;
  name: string;
  type: string;
  content: string;
  ttl: number;
  proxied: boolean;
  priority: number | null;
  comment: string | null;
}

export interface DnsZone {
  listRecords(zoneId: string, filter?: { name?: string; type?: CfRecordType }): Promise<CfDnsRecord[]>;
  createRecord(zoneId: string, input: DnsRecordInput): Promise<CfDnsRecord>;
  updateRecord(zoneId: string, recordId: string, patch: Partial<DnsRecordInput>): Promise<CfDnsRecord>;
  deleteRecord(zoneId: string, recordId: string): Promise<void>;
}

export const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";
const PER_PAGE = 100;

// Cloudflare error codes seen in the wild; the HTTP status alone is ambiguous (a bad token is 403, a
// token without access to the zone is also 403, an unknown zone id is 400).
const CODE_MAP: Record<number, VendorErrorCode> = {
  6003: "auth", // Invalid request headers (malformed Authorization)
  6111: "auth", // Invalid format for Authorization header
  9109: "auth", // Invalid access token / cannot use the token from this location
  10000: "forbidden", // Authentication error: the token lacks permission on this zone
  971: "rate_limited",
  7000: "not_found", // No route for that URI
  7003: "not_found", // Could not route to /zones/<id>/…: unknown zone or record id
  81044: "not_found", // Record does not exist
  81053: "conflict", // An A, AAAA or CNAME record with that host already exists
  81054: "conflict", // A CNAME record with that host already exists
  81057: "conflict", // Record already exists (identical)
};

const describeErrors = (errors: CfMessage[]) =>
  errors.map((e) => [`${e.message} (${e.code})`, ...(e.error_chain ?? []).map((c) => `${c.message} (${c.code})`)].join(": ")).join("; ");

const toRecord = (r: CfDnsRecordWire): CfDnsRecord => ({
  id: r.id,
  name: r.name,
  type: r.type,
  content: r.content,
  ttl: r.ttl,
  proxied: r.proxied ?? false,
  priority: r.priority ?? null,
  comment: r.comment ?? null,
});

export function cloudflareDns(cfg: { token: string }, fetcher: Fetcher = fetch, baseUrl: string = CLOUDFLARE_API): DnsZone {
  const secrets = [cfg.token];

  async function call<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.output<S>> {
    const headers: Record<string, string> = { authorization: `Bearer ${cfg.token}`, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await send(
      "cloudflare",
      fetcher,
      joinUrl(baseUrl, path),
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
      secrets,
    );
    const failure = CfFailure.safeParse(res.json);
    if (res.status >= 400 || failure.success) {
      const errors = failure.success ? failure.data.errors : [];
      const mapped = errors.map((e) => CODE_MAP[e.code] ?? (e.error_chain ?? []).map((c) => CODE_MAP[c.code]).find(Boolean)).find(Boolean);
      const code: VendorErrorCode = res.status === 429 ? "rate_limited" : (mapped ?? codeForStatus(Math.max(res.status, 400)));
      const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
      const message = scrubSecrets(`${method} ${path}: ${errors.length ? describeErrors(errors) : `HTTP ${res.status}`}`, secrets);
      throw new VendorError("cloudflare", code, res.status, message, retryAfter === undefined ? {} : { retryAfter });
    }
    return parseBody("cloudflare", schema, res.json, `${method} dns_records`, res.status);
  }

  const recordsPath = (zoneId: string) => `/zones/${encodeURIComponent(zoneId)}/dns_records`;

  return {
    async listRecords(zoneId, filter = {}) {
      const out: CfDnsRecord[] = [];
      for (let page = 1; ; page++) {
        const q = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE) });
        if (filter.name) q.set("name", filter.name);
        if (filter.type) q.set("type", filter.type);
        const env = await call("GET", `${recordsPath(zoneId)}?${q}`, CfRecordListEnvelope);
        out.push(...env.result.map(toRecord));
        const info = env.result_info;
        const pages = info ? (info.total_pages ?? Math.ceil(info.total_count / info.per_page)) : 1;
        if (page >= pages || env.result.length === 0) return out;
      }
    },
    async createRecord(zoneId, input) {
      return toRecord((await call("POST", recordsPath(zoneId), CfRecordEnvelope, input)).result);
    },
    async updateRecord(zoneId, recordId, patch) {
      return toRecord((await call("PATCH", `${recordsPath(zoneId)}/${encodeURIComponent(recordId)}`, CfRecordEnvelope, patch)).result);
    },
    async deleteRecord(zoneId, recordId) {
      await call("DELETE", `${recordsPath(zoneId)}/${encodeURIComponent(recordId)}`, CfDeleteEnvelope);
    },
  };
}
