import { z } from "zod";
import { joinTxt, parseTxtStrings } from "../../dns/txt.ts";
import type { Fetcher } from "../http.ts";

/**
 * DNS-over-HTTPS JSON (the `DnsResolver` port: verification lookups). Cloudflare and Google speak
 * the same shape; there is no RFC for it. `resolve` never throws: a failed lookup is a result
 * ("error"), because verification records it per record and tries again later.
 */
export type DohType = "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "PTR" | "NS";

export interface DohResult {
  status: "ok" | "nxdomain" | "error";
  /**
   * Answers of the asked type only (CNAME hops dropped). TXT: quotes stripped and the
   * character-strings joined; MX: `10 mail.example.com`; host names lower-case without the dot.
   */
  answers: string[];
  reason?: string;
}

export interface DnsResolver {
  resolve(name: string, type: DohType): Promise<DohResult>;
}

export const CLOUDFLARE_DOH = "https://cloudflare-dns.com/dns-query";

const TYPE_CODES: Record<DohType, number> = { A: 1, NS: 2, CNAME: 5, PTR: 12, MX: 15, TXT: 16, AAAA: 28 };
const RCODES: Record<number, string> = { 1: "FORMERR", 2: "SERVFAIL", 4: "NOTIMP", 5: "REFUSED" };

export const DohResponse = z.object({
  Status: z.number().int(),
  TC: z.boolean().optional(),
  Answer: z.array(z.object({ name: z.string(), type: z.number().int(), TTL: z.number().optional(), data: z.string() })).optional(),
});

const host = (s: string) => s.trim().replace(/\.$/, "").toLowerCase();

function normalize(type: DohType, data: string): string {
  switch (type) {
    case "TXT":
      return joinTxt(parseTxtStrings(data));
    case "MX": {
      const [prio, target] = data.trim().split(/\s+/);
      return `${prio} ${host(target ?? "")}`;
    }
    case "CNAME":
    case "PTR":
    case "NS":
      return host(data);
    default:
      return data.trim();
  }
}

export function dohResolver(fetcher: Fetcher = fetch, baseUrl: string = CLOUDFLARE_DOH): DnsResolver {
  return {
    async resolve(name, type) {
      const url = `${baseUrl}?${new URLSearchParams({ name, type })}`;
      let res: Response;
      let body: unknown;
      try {
        res = await fetcher(url, { headers: { accept: "application/dns-json" } });
        const text = await res.text();
        if (!res.ok) return { status: "error", answers: [], reason: `HTTP ${res.status}` };
        body = JSON.parse(text);
      } catch (err) {
        return { status: "error", answers: [], reason: `lookup failed: ${(err as Error)?.message ?? String(err)}` };
      }
      const parsed = DohResponse.safeParse(body);
      if (!parsed.success) return { status: "error", answers: [], reason: "unexpected DoH response" };
      const { Status, Answer = [] } = parsed.data;
      if (Status === 3) return { status: "nxdomain", answers: [] };
      if (Status !== 0) return { status: "error", answers: [], reason: `${RCODES[Status] ?? `RCODE ${Status}`}` };
      const answers = Answer.filter((a) => a.type === TYPE_CODES[type]).map((a) => normalize(type, a.data));
      return { status: "ok", answers };
    },
  };
}
