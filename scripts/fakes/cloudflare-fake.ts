import { randomBytes } from "node:crypto";
import type http from "node:http";
import { type FakeServer, sendJson, serve, slidingWindow } from "./http.ts";

/**
 * A faithful fake of the Cloudflare DNS records API (`/client/v4/zones/<id>/dns_records`,
 * INTEGRATIONS.md §3.4) and of the DNS-over-HTTPS JSON endpoint (`/dns-query`, §3.5), both served
 * from the same zone data so "write then verify" works end to end.
 * - Envelope `{success, errors[{code,message,error_chain?}], messages, result[, result_info]}`.
 * - Malformed Authorization → 400 (6003/6111); wrong token → 403 (9109); token without the zone → 403 (10000).
 * - Rate limit (default 1,200 per 5 min) → 429 + Retry-After, code 971; configurable for tests.
 * - Record rules: A/AAAA/CNAME cannot share a name with a CNAME (81053/81054), identical records
 *   (81057), TTL 1 or 60–86400 (9021), A/AAAA content must be an address, MX needs a priority.
 * - DoH: `Status` 0/3, TXT `data` quoted and split into ≤255-byte strings, CNAMEs followed.
 */
export interface FakeCfRecord {
  id: string;
  zone_id: string;
  zone_name: string;
  name: string;
  type: string;
  content: string;
  ttl: number;
  proxied: boolean;
  proxiable: boolean;
  priority?: number;
  comment: string | null;
  tags: string[];
  created_on: string;
  modified_on: string;
}

export interface FakeCfZone {
  id: string;
  name: string;
  records: Map<string, FakeCfRecord>;
}

/** Records only DoH sees (PTRs, DNSBL answers, other people's zones). */
export interface FakeExternalRecord {
  name: string;
  type: string;
  content: string;
  ttl?: number;
}

export interface FakeCloudflareState {
  zones: Map<string, FakeCfZone>;
  external: FakeExternalRecord[];
  /** Names whose DoH lookups answer SERVFAIL (a resolver outage, not an answer). */
  servfail: Set<string>;
  /** Adds a zone and returns its id. */
  addZone(name: string, id?: string): string;
  /** API calls received (DoH not counted). */
  apiCalls: number;
}

export interface FakeCloudflareOptions {
  port?: number;
  token: string;
  zones?: { name: string; id?: string }[];
  /** Zone ids the token may touch (default: all). */
  tokenZones?: string[];
  rateLimit?: { max: number; windowMs: number; retryAfterSeconds?: number };
}

const TYPES = new Set(["A", "AAAA", "CNAME", "MX", "TXT", "NS", "PTR", "SRV", "CAA"]);
const TYPE_CODES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, CAA: 257 };
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const norm = (n: string) => n.trim().toLowerCase().replace(/\.$/, "");

type Reply = [number, unknown, Record<string, string>?];
const fail = (
  status: number,
  errors: { code: number; message: string; error_chain?: { code: number; message: string }[] }[],
  headers?: Record<string, string>,
): Reply => [status, { success: false, errors, messages: [], result: null }, headers];
const okReply = (result: unknown, extra: Record<string, unknown> = {}): Reply => [
  200,
  { success: true, errors: [], messages: [], result, ...extra },
];

/** TXT data as a resolver prints it: quoted character-strings of ≤255 bytes. */
function txtData(content: string): string {
  if (content.startsWith('"')) return content.trim();
  const out: string[] = [];
  let cur = "";
  for (const ch of content) {
    if (Buffer.byteLength(cur + ch) > 255) {
      out.push(cur);
      cur = "";
    }
    cur += ch;
  }
  out.push(cur);
  return out.map((s) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(" ");
}

export async function startFakeCloudflare(opts: FakeCloudflareOptions): Promise<FakeServer<FakeCloudflareState> & { dohUrl: string }> {
  const limit = opts.rateLimit ?? { max: 1200, windowMs: 300_000 };
  const window = slidingWindow(limit.windowMs);
  const state: FakeCloudflareState = {
    zones: new Map(),
    external: [],
    servfail: new Set(),
    apiCalls: 0,
    addZone(name, id = randomBytes(16).toString("hex")) {
      state.zones.set(id, { id, name: norm(name), records: new Map() });
      return id;
    },
  };
  for (const z of opts.zones ?? []) state.addZone(z.name, z.id);

  function check(zone: FakeCfZone, r: FakeCfRecord, selfId?: string): Reply | null {
    const dnsError = (code: number, message: string) =>
      fail(400, [{ code: 1004, message: "DNS Validation Error", error_chain: [{ code, message }] }]);
    if (!TYPES.has(r.type)) return fail(400, [{ code: 9000, message: "DNS record type is invalid." }]);
    if (r.name !== zone.name && !r.name.endsWith(`.${zone.name}`))
      return fail(400, [{ code: 9007, message: "Content for name must be within the zone." }]);
    if (!r.content) return fail(400, [{ code: 9005, message: "Content is required." }]);
    if (r.ttl !== 1 && (r.ttl < 60 || r.ttl > 86_400))
      return dnsError(9021, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.");
    if (r.type === "A" && !IPV4.test(r.content)) return dnsError(9005, "Content for A record must be a valid IPv4 address.");
    if (r.type === "AAAA" && !/^[0-9a-f:]+$/i.test(r.content))
      return dnsError(9005, "Content for AAAA record must be a valid IPv6 address.");
    if (r.type === "MX" && (r.priority === undefined || r.priority < 0 || r.priority > 65_535))
      return dnsError(9101, "MX records require a priority.");
    if (r.type === "TXT" && Buffer.byteLength(r.content) > 2048) return dnsError(9100, "TXT content is limited to 2048 characters.");
    if (r.proxied && !["A", "AAAA", "CNAME"].includes(r.type))
      return fail(400, [{ code: 9004, message: "This record type cannot be proxied." }]);
    const same = [...zone.records.values()].filter((x) => x.id !== selfId && x.name === r.name);
    if (r.type === "CNAME" && same.length)
      return fail(400, [{ code: 81053, message: "An A, AAAA, or CNAME record with that host already exists." }]);
    if (same.some((x) => x.type === "CNAME")) return fail(400, [{ code: 81054, message: "A CNAME record with that host already exists." }]);
    if (same.some((x) => x.type === r.type && x.content === r.content))
      return fail(400, [{ code: 81057, message: "Record already exists." }]);
    return null;
  }

  function fromBody(zone: FakeCfZone, data: Record<string, unknown>, base?: FakeCfRecord): FakeCfRecord {
    const now = new Date().toISOString();
    const rawName = typeof data.name === "string" ? norm(data.name) : (base?.name ?? "");
    // Like Cloudflare: "@" is the apex, and a name outside the zone is taken as relative to it.
    const within = rawName === zone.name || rawName.endsWith(`.${zone.name}`);
    const name = rawName === "@" ? zone.name : within || rawName === "" ? rawName : `${rawName}.${zone.name}`;
    const type = typeof data.type === "string" ? data.type.toUpperCase() : (base?.type ?? "");
    const r: FakeCfRecord = {
      id: base?.id ?? randomBytes(16).toString("hex"),
      zone_id: zone.id,
      zone_name: zone.name,
      name,
      type,
      content:
        typeof data.content === "string"
          ? ["CNAME", "MX", "NS", "PTR"].includes(type)
            ? norm(data.content)
            : data.content
          : (base?.content ?? ""),
      ttl: typeof data.ttl === "number" ? data.ttl : (base?.ttl ?? 1),
      proxied: typeof data.proxied === "boolean" ? data.proxied : (base?.proxied ?? false),
      proxiable: ["A", "AAAA", "CNAME"].includes(type),
      comment: typeof data.comment === "string" ? data.comment : (base?.comment ?? null),
      tags: [],
      created_on: base?.created_on ?? now,
      modified_on: now,
    };
    const priority = typeof data.priority === "number" ? data.priority : base?.priority;
    if (priority !== undefined) r.priority = priority;
    return r;
  }

  function api(req: http.IncomingMessage, url: URL, body: string): Reply {
    const auth = req.headers.authorization;
    if (typeof auth !== "string" || !/^Bearer \S+$/.test(auth)) {
      return fail(400, [
        {
          code: 6003,
          message: "Invalid request headers",
          error_chain: [{ code: 6111, message: "Invalid format for Authorization header" }],
        },
      ]);
    }
    if (auth.slice(7) !== opts.token) return fail(403, [{ code: 9109, message: "Invalid access token" }]);
    state.apiCalls++;
    if (window.count("user") >= limit.max) {
      const oldest = window.oldest("user") ?? Date.now();
      const retry = limit.retryAfterSeconds ?? Math.max(1, Math.ceil((oldest + limit.windowMs - Date.now()) / 1000));
      return fail(429, [{ code: 971, message: "Please wait and consider throttling your request speed" }], {
        "retry-after": String(retry),
      });
    }
    window.hit("user");
    const m = /^\/client\/v4\/zones\/([^/]+)\/dns_records(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!m) return fail(400, [{ code: 7000, message: "No route for that URI" }]);
    const zoneId = decodeURIComponent(m[1]!);
    const zone = state.zones.get(zoneId);
    if (!zone) {
      return fail(400, [
        { code: 7003, message: `Could not route to /zones/${zoneId}/dns_records, perhaps your object identifier is invalid?` },
        { code: 7000, message: "No route for that URI" },
      ]);
    }
    if (opts.tokenZones && !opts.tokenZones.includes(zoneId)) return fail(403, [{ code: 10000, message: "Authentication error" }]);
    const recordId = m[2] ? decodeURIComponent(m[2]) : undefined;
    const method = req.method ?? "GET";
    let data: Record<string, unknown> = {};
    if (method === "POST" || method === "PATCH" || method === "PUT") {
      try {
        data = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return fail(400, [{ code: 9207, message: "Request body is invalid." }]);
      }
    }
    if (!recordId) {
      if (method === "GET") {
        const name = url.searchParams.get("name");
        const type = url.searchParams.get("type");
        const all = [...zone.records.values()].filter((r) => (!name || r.name === norm(name)) && (!type || r.type === type.toUpperCase()));
        const perPage = Math.min(5000, Math.max(5, Number(url.searchParams.get("per_page") ?? 100)));
        const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
        const slice = all.slice((page - 1) * perPage, page * perPage);
        return okReply(slice, {
          result_info: {
            page,
            per_page: perPage,
            count: slice.length,
            total_count: all.length,
            total_pages: Math.max(1, Math.ceil(all.length / perPage)),
          },
        });
      }
      if (method === "POST") {
        const r = fromBody(zone, data);
        const bad = check(zone, r);
        if (bad) return bad;
        zone.records.set(r.id, r);
        return okReply(r);
      }
      return fail(405, [{ code: 10405, message: "Method not allowed" }]);
    }
    const existing = zone.records.get(recordId);
    if (!existing) return fail(404, [{ code: 81044, message: "Record does not exist." }]);
    if (method === "GET") return okReply(existing);
    if (method === "DELETE") {
      zone.records.delete(recordId);
      return okReply({ id: recordId });
    }
    if (method === "PATCH" || method === "PUT") {
      const r = fromBody(zone, data, method === "PATCH" ? existing : { ...existing, priority: undefined, comment: null });
      const bad = check(zone, r, recordId);
      if (bad) return bad;
      zone.records.set(recordId, r);
      return okReply(r);
    }
    return fail(405, [{ code: 10405, message: "Method not allowed" }]);
  }

  function recordsAt(name: string): FakeExternalRecord[] {
    const fromZones = [...state.zones.values()].flatMap((z) => [...z.records.values()].filter((r) => r.name === name));
    const ext = state.external.filter((r) => norm(r.name) === name);
    return [
      ...fromZones.map((r) => ({
        name: r.name,
        type: r.type,
        content: r.priority !== undefined ? `${r.priority} ${r.content}` : r.content,
        ttl: r.ttl,
      })),
      ...ext,
    ];
  }

  function doh(req: http.IncomingMessage, url: URL): Reply {
    const accept = String(req.headers.accept ?? "");
    if (!accept.includes("application/dns-json") && url.searchParams.get("ct") !== "application/dns-json") {
      return [400, { error: "Missing 'dns' parameter or 'accept: application/dns-json' header" }];
    }
    const qname = norm(url.searchParams.get("name") ?? "");
    const qtypeRaw = (url.searchParams.get("type") ?? "A").toUpperCase();
    const qtype = /^\d+$/.test(qtypeRaw) ? Object.keys(TYPE_CODES).find((k) => TYPE_CODES[k] === Number(qtypeRaw)) : qtypeRaw;
    if (!qname || qname.length > 253 || !/^[a-z0-9_.-]+$/.test(qname)) return [400, { error: "Invalid query name" }];
    if (!qtype || !(qtype in TYPE_CODES)) return [400, { error: "Invalid query type" }];
    if (state.servfail.has(qname)) return [200, { Status: 2, TC: false, RD: true, RA: true, AD: false, CD: false, Question: [] }];
    const answers: { name: string; type: number; TTL: number; data: string }[] = [];
    let name = qname;
    let exists = false;
    for (let hop = 0; hop < 8; hop++) {
      const here = recordsAt(name);
      if (here.length) exists = true;
      const wanted = here.filter((r) => r.type === qtype);
      const cname = here.find((r) => r.type === "CNAME");
      const answer = (r: FakeExternalRecord) => {
        const dotted = ["CNAME", "PTR", "NS"].includes(r.type) || r.type === "MX" ? `${r.content}.` : r.content;
        answers.push({
          name: `${name}.`,
          type: TYPE_CODES[r.type]!,
          TTL: r.ttl && r.ttl > 1 ? r.ttl : 300,
          data: r.type === "TXT" ? txtData(r.content) : dotted,
        });
      };
      if (wanted.length || !cname || qtype === "CNAME") {
        wanted.forEach(answer);
        break;
      }
      answer(cname);
      name = norm(cname.content);
    }
    // A name with no records at all (nor any below it) does not exist: NXDOMAIN.
    const below = (n: string) => [...state.zones.values()].some((z) => [...z.records.values()].some((r) => r.name.endsWith(`.${n}`)));
    const status = exists || below(qname) ? 0 : 3;
    const body: Record<string, unknown> = {
      Status: status,
      TC: false,
      RD: true,
      RA: true,
      AD: false,
      CD: false,
      Question: [{ name: `${qname}.`, type: TYPE_CODES[qtype] }],
    };
    if (answers.length) body.Answer = answers;
    return [200, body];
  }

  const { origin, close } = await serve(opts.port ?? 0, (req, res, body) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const [status, payload, headers] = url.pathname === "/dns-query" ? doh(req, url) : api(req, url, body);
    const dohJson = url.pathname === "/dns-query" && status === 200;
    sendJson(res, status, payload, { ...(headers ?? {}), ...(dohJson ? { "content-type": "application/dns-json" } : {}) });
  });
  return { url: `${origin}/client/v4`, dohUrl: `${origin}/dns-query`, state, close };
}
