import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeCloudflare } from "../../../scripts/fakes/cloudflare-fake.ts";
import { classifyDnsbl, dnsblQueryName } from "../../../workers/dns/dnsbl.ts";
import { buildDomainRecords, compareRecord } from "../../../workers/dns/records.ts";
import { cloudflareDns } from "../../../workers/integrations/cloudflare-dns/client.ts";
import { type DnsResolver, dohResolver } from "../../../workers/integrations/doh/client.ts";

// The DoH resolver against the Cloudflare fake's /dns-query, which answers from the same zone data
// the DNS API writes: build → write → resolve → compare, end to end.
const TOKEN = "cf-token-doh-test-123";
const ZONE = "0123456789abcdef0123456789abcdef";
const DKIM_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "der" }).toString("base64");

let fake: Awaited<ReturnType<typeof startFakeCloudflare>>;
let doh: DnsResolver;

beforeEach(async () => {
  fake = await startFakeCloudflare({ token: TOKEN, zones: [{ name: "acme.test", id: ZONE }] });
  doh = dohResolver(fetch, fake.dohUrl);
});
afterEach(() => fake.close());

const cf = () => cloudflareDns({ token: TOKEN }, fetch, fake.url);

describe("DoH resolver", () => {
  it("joins a long TXT that the resolver returns as several quoted strings", async () => {
    const value = `v=DKIM1; k=rsa; p=${DKIM_KEY}`;
    await cf().createRecord(ZONE, { type: "TXT", name: "pm._domainkey.acme.test", content: value, ttl: 300 });
    const raw = (await (
      await fetch(`${fake.dohUrl}?name=pm._domainkey.acme.test&type=TXT`, { headers: { accept: "application/dns-json" } })
    ).json()) as {
      Answer: { data: string }[];
    };
    expect(raw.Answer[0]!.data).toMatch(/^"v=DKIM1; k=rsa; p=[^"]{237}" "[^"]+"$/);
    expect(await doh.resolve("pm._domainkey.acme.test", "TXT")).toEqual({ status: "ok", answers: [value] });
  });

  it("unescapes quotes inside TXT data and keeps several TXT records apart", async () => {
    await cf().createRecord(ZONE, { type: "TXT", name: "acme.test", content: 'say "hi"', ttl: 300 });
    await cf().createRecord(ZONE, { type: "TXT", name: "acme.test", content: "v=spf1 -all", ttl: 300 });
    const r = await doh.resolve("acme.test", "TXT");
    expect(r.status).toBe("ok");
    expect([...r.answers].sort()).toEqual(['say "hi"', "v=spf1 -all"]);
  });

  it("normalises MX, follows CNAMEs but returns only the asked type, and reports NXDOMAIN", async () => {
    await cf().createRecord(ZONE, { type: "MX", name: "acme.test", content: "Mail.Acme.test", ttl: 300, priority: 10 });
    await cf().createRecord(ZONE, { type: "CNAME", name: "track.acme.test", content: "edge.acme.test", ttl: 300 });
    await cf().createRecord(ZONE, { type: "A", name: "edge.acme.test", content: "198.51.100.5", ttl: 300 });
    expect(await doh.resolve("acme.test", "MX")).toEqual({ status: "ok", answers: ["10 mail.acme.test"] });
    expect(await doh.resolve("track.acme.test", "A")).toEqual({ status: "ok", answers: ["198.51.100.5"] });
    expect(await doh.resolve("track.acme.test", "CNAME")).toEqual({ status: "ok", answers: ["edge.acme.test"] });
    expect(await doh.resolve("acme.test", "A")).toEqual({ status: "ok", answers: [] });
    expect(await doh.resolve("nothing.acme.test", "TXT")).toEqual({ status: "nxdomain", answers: [] });
  });

  it("resolves PTR and DNSBL answers published outside our zones", async () => {
    fake.state.external.push({ name: "10.113.0.203.in-addr.arpa", type: "PTR", content: "mail.acme.test" });
    fake.state.external.push({ name: dnsblQueryName("203.0.113.66", "zen.spamhaus.org"), type: "A", content: "127.255.255.254" });
    expect(await doh.resolve("10.113.0.203.in-addr.arpa", "PTR")).toEqual({ status: "ok", answers: ["mail.acme.test"] });
    expect(classifyDnsbl(await doh.resolve(dnsblQueryName("203.0.113.66", "zen.spamhaus.org"), "A")).status).toBe("refused");
    expect(classifyDnsbl(await doh.resolve(dnsblQueryName("203.0.113.67", "zen.spamhaus.org"), "A")).status).toBe("clean");
  });

  it("turns HTTP errors, bad bodies, SERVFAIL and network failures into status error without throwing", async () => {
    const bad = await doh.resolve("bad name!", "TXT");
    expect(bad).toEqual({ status: "error", answers: [], reason: "HTTP 400" });
    const servfail = dohResolver((async () => Response.json({ Status: 2, Question: [] })) as typeof fetch);
    expect(await servfail.resolve("acme.test", "TXT")).toEqual({ status: "error", answers: [], reason: "SERVFAIL" });
    const garbage = dohResolver((async () => new Response("<html>", { status: 200 })) as typeof fetch);
    expect((await garbage.resolve("acme.test", "TXT")).status).toBe("error");
    const down = dohResolver((async () => {
      throw new TypeError("fetch failed");
    }) as typeof fetch);
    expect(await down.resolve("acme.test", "TXT")).toEqual({ status: "error", answers: [], reason: "lookup failed: fetch failed" });
  });

  it("accepts Google-style unquoted TXT data", async () => {
    const google = dohResolver((async () =>
      Response.json({
        Status: 0,
        Answer: [{ name: "acme.test.", type: 16, TTL: 300, data: "v=spf1 ip4:203.0.113.10 ~all" }],
      })) as typeof fetch);
    expect(await google.resolve("acme.test", "TXT")).toEqual({ status: "ok", answers: ["v=spf1 ip4:203.0.113.10 ~all"] });
  });
});

describe("build → write through the DNS API → verify through DoH", () => {
  it("every zone record verifies as a match, and drift is caught", async () => {
    const expected = buildDomainRecords({
      domain: "acme.test",
      mailHost: "mail.acme.test",
      nodeIps: ["203.0.113.10"],
      dkim: { selector: "pm", publicKey: DKIM_KEY },
      dmarcRua: "dmarc@acme.test",
      trackingHost: "track.acme.test",
      trackingCname: "t.penguinmails.test",
    });
    for (const r of expected.filter((x) => x.managedAt === "zone" && x.inDomain)) {
      await cf().createRecord(ZONE, { type: r.type as "TXT", name: r.name, content: r.zoneContent, ttl: r.ttl, priority: r.priority });
    }
    const results = await Promise.all(
      expected.map(async (r) => [r.purpose, compareRecord(r, await doh.resolve(r.name, r.type)).status] as const),
    );
    expect(results).toEqual([
      ["mx", "match"],
      ["mail_host", "match"],
      ["spf", "match"],
      ["dkim", "match"],
      ["dmarc", "match"],
      ["tracking", "match"],
      ["ptr", "missing"], // set at Hostwinds, not in the zone
    ]);

    const spf = (await cf().listRecords(ZONE, { name: "acme.test", type: "TXT" }))[0]!;
    await cf().updateRecord(ZONE, spf.id, { content: "v=spf1 ip4:198.51.100.1 ~all" });
    const spfExpected = expected.find((r) => r.purpose === "spf")!;
    expect(compareRecord(spfExpected, await doh.resolve("acme.test", "TXT"))).toEqual({
      status: "mismatch",
      reason: "published SPF does not authorise ip4:203.0.113.10",
    });
  });
});
