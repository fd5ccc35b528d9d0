import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeCloudflareOptions, startFakeCloudflare } from "../../../scripts/fakes/cloudflare-fake.ts";
import { cloudflareDns, type DnsZone } from "../../../workers/integrations/cloudflare-dns/client.ts";
import { expectNoSecrets, leakyFailingFetch, vendorError } from "./expect-vendor-error.ts";

// The real Cloudflare DNS client against the Cloudflare fake (envelope, error codes, rate limit).
const TOKEN = "cf-token-5e6f7a8b9c0d";
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";

let fake: Awaited<ReturnType<typeof startFakeCloudflare>>;
let cf: DnsZone;

async function restart(opts: Partial<FakeCloudflareOptions> = {}) {
  await fake?.close();
  fake = await startFakeCloudflare({ token: TOKEN, zones: [{ name: "acme.test", id: ZONE }], ...opts });
  cf = cloudflareDns({ token: TOKEN }, fetch, fake.url);
}

beforeEach(() => restart());
afterEach(() => fake.close());

const records = () => [...fake.state.zones.get(ZONE)!.records.values()];

describe("Cloudflare DNS client: records", () => {
  it("creates, lists (filtered), updates and deletes records", async () => {
    const mx = await cf.createRecord(ZONE, {
      type: "MX",
      name: "acme.test",
      content: "mail.acme.test",
      ttl: 3600,
      priority: 10,
      comment: "penguinmails",
    });
    expect(mx).toMatchObject({
      type: "MX",
      name: "acme.test",
      content: "mail.acme.test",
      priority: 10,
      ttl: 3600,
      proxied: false,
      comment: "penguinmails",
    });
    await cf.createRecord(ZONE, { type: "A", name: "mail.acme.test", content: "203.0.113.10", ttl: 1 });
    await cf.createRecord(ZONE, { type: "TXT", name: "acme.test", content: "v=spf1 ip4:203.0.113.10 ~all", ttl: 3600 });
    expect(records()).toHaveLength(3);

    expect((await cf.listRecords(ZONE, { name: "acme.test" })).map((r) => r.type).sort()).toEqual(["MX", "TXT"]);
    expect((await cf.listRecords(ZONE, { name: "acme.test", type: "TXT" })).map((r) => r.content)).toEqual([
      "v=spf1 ip4:203.0.113.10 ~all",
    ]);
    expect(await cf.listRecords(ZONE, { name: "nothing.acme.test" })).toEqual([]);

    const updated = await cf.updateRecord(ZONE, mx.id, { priority: 20 });
    expect(updated).toMatchObject({ id: mx.id, priority: 20, content: "mail.acme.test" });
    expect(fake.state.zones.get(ZONE)!.records.get(mx.id)!.priority).toBe(20);

    await cf.deleteRecord(ZONE, mx.id);
    expect(
      records()
        .map((r) => r.type)
        .sort(),
    ).toEqual(["A", "TXT"]);
    expect(await vendorError(cf.deleteRecord(ZONE, mx.id))).toMatchObject({
      code: "not_found",
      status: 404,
      message: expect.stringMatching(/Record does not exist\. \(81044\)/),
    });
  });

  it("follows pagination past 100 records", async () => {
    for (let i = 0; i < 130; i++) await cf.createRecord(ZONE, { type: "TXT", name: `r${i}.acme.test`, content: `v${i}`, ttl: 1 });
    const all = await cf.listRecords(ZONE);
    expect(all).toHaveLength(130);
    expect(new Set(all.map((r) => r.id)).size).toBe(130);
  });

  it("maps record conflicts and validation errors from the envelope", async () => {
    await cf.createRecord(ZONE, { type: "A", name: "track.acme.test", content: "203.0.113.10", ttl: 1 });
    const cname = await vendorError(
      cf.createRecord(ZONE, { type: "CNAME", name: "track.acme.test", content: "t.penguinmails.test", ttl: 1 }),
    );
    expect(cname).toMatchObject({ vendor: "cloudflare", code: "conflict", status: 400 });
    expect(cname.message).toMatch(/An A, AAAA, or CNAME record with that host already exists\. \(81053\)/);
    const same = await vendorError(cf.createRecord(ZONE, { type: "A", name: "track.acme.test", content: "203.0.113.10", ttl: 1 }));
    expect(same.code).toBe("conflict");
    const ttl = await vendorError(cf.createRecord(ZONE, { type: "TXT", name: "acme.test", content: "x", ttl: 30 }));
    expect(ttl).toMatchObject({ code: "invalid", status: 400 });
    expect(ttl.message).toMatch(/DNS Validation Error \(1004\): Invalid TTL/);
    expect(
      (await vendorError(cf.createRecord(ZONE, { type: "A", name: "x.acme.test", content: "mail.acme.test", ttl: 1 }))).message,
    ).toMatch(/valid IPv4/);
    expect(
      (await vendorError(cf.createRecord(ZONE, { type: "MX", name: "acme.test", content: "mail.acme.test", ttl: 1, proxied: true }))).code,
    ).toBe("invalid");
    expect(records()).toHaveLength(1);
  });

  it("an unknown zone id is not_found although Cloudflare answers 400", async () => {
    const err = await vendorError(cf.listRecords("ffffffffffffffffffffffffffffffff"));
    expect(err).toMatchObject({ code: "not_found", status: 400 });
    expect(err.message).toMatch(/Could not route to \/zones\/ffffffffffffffffffffffffffffffff\/dns_records/);
  });
});

describe("Cloudflare DNS client: auth, rate limit, secrets", () => {
  it("wrong token → auth (9109); token without the zone → forbidden (10000); no token leaks", async () => {
    const wrongToken = "cf-wrong-token-1a2b3c";
    const err = await vendorError(cloudflareDns({ token: wrongToken }, fetch, fake.url).listRecords(ZONE));
    expect(err).toMatchObject({
      code: "auth",
      status: 403,
      message: `cloudflare: GET /zones/${ZONE}/dns_records?page=1&per_page=100: Invalid access token (9109)`,
    });
    expectNoSecrets(err, [wrongToken]);
    const malformed = await vendorError(cloudflareDns({ token: "has space" }, fetch, fake.url).listRecords(ZONE));
    expect(malformed).toMatchObject({ code: "auth", status: 400 });
    await restart({ tokenZones: ["another-zone"] });
    const forbidden = await vendorError(cf.createRecord(ZONE, { type: "TXT", name: "acme.test", content: "x", ttl: 1 }));
    expect(forbidden).toMatchObject({ code: "forbidden", status: 403 });
    expect(records()).toHaveLength(0);
  });

  it("429 after K requests in the window → rate_limited with retryAfter from Retry-After", async () => {
    await restart({ rateLimit: { max: 3, windowMs: 60_000, retryAfterSeconds: 42 } });
    for (let i = 0; i < 3; i++) await cf.listRecords(ZONE);
    const err = await vendorError(cf.createRecord(ZONE, { type: "TXT", name: "acme.test", content: "x", ttl: 1 }));
    expect(err).toMatchObject({ code: "rate_limited", status: 429, retryAfter: 42 });
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/Please wait and consider throttling your request speed \(971\)/);
    expect(records()).toHaveLength(0);
  });

  it("without a fixed value, Retry-After is the time until the window frees a slot", async () => {
    await restart({ rateLimit: { max: 1, windowMs: 30_000 } });
    await cf.listRecords(ZONE);
    const err = await vendorError(cf.listRecords(ZONE));
    expect(err.retryAfter).toBeGreaterThanOrEqual(29);
    expect(err.retryAfter).toBeLessThanOrEqual(30);
  });

  it("scrubs the token from network errors quoting the request headers", async () => {
    const err = await vendorError(cloudflareDns({ token: TOKEN }, leakyFailingFetch, fake.url).listRecords(ZONE));
    expect(err).toMatchObject({ code: "unavailable", status: null });
    expectNoSecrets(err, [TOKEN]);
  });
});
