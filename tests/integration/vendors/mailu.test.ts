import { createHash, createPublicKey } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeMailuOptions, startFakeMailu } from "../../../scripts/fakes/mailu-fake.ts";
import { type Mailu, mailuHttp } from "../../../workers/integrations/mailu/client.ts";
import { expectNoSecrets, leakyFailingFetch, vendorError } from "./expect-vendor-error.ts";

// The real MailU client against the MailU fake (a real HTTP server speaking MailU's shapes).
const TOKEN = "mailu-admin-token-7f3a9c";
const PASSWORD = "S3cret-mailbox-pass!";

let fake: Awaited<ReturnType<typeof startFakeMailu>>;
let mailu: Mailu;

async function restart(opts: Partial<FakeMailuOptions> = {}) {
  await fake?.close();
  fake = await startFakeMailu({ token: TOKEN, dkimBits: 2048, ...opts });
  mailu = mailuHttp({ baseUrl: fake.url, token: TOKEN });
}

beforeEach(() => restart());
afterEach(() => fake.close());

const user = (email: string) => ({
  email,
  rawPassword: PASSWORD,
  quotaBytes: 2_000_000_000,
  forwardEnabled: true,
  forwardDestination: ["replies+ten_1@inbound.penguinmails.test"],
  forwardKeep: true,
  displayedName: "Jane Sender",
});

describe("MailU client: domains and DKIM", () => {
  it("creates a domain and parses MailU's zone-file dns_* strings", async () => {
    await mailu.createDomain("acme.test", { comment: "tenant ten_1", maxUsers: 50 });
    expect(fake.state.domains.get("acme.test")).toMatchObject({ name: "acme.test", comment: "tenant ten_1", maxUsers: 50, dkim: null });
    const d = await mailu.getDomain("acme.test");
    expect(d).toMatchObject({ name: "acme.test", comment: "tenant ten_1", maxUsers: 50, maxAliases: -1, alternatives: [], managers: [] });
    expect(d.dns.mx).toMatchObject({ name: "acme.test", ttl: 600, type: "MX", priority: 10, value: "mail.penguinmails.test" });
    expect(d.dns.spf).toMatchObject({ name: "acme.test", type: "TXT", value: "v=spf1 mx a:mail.penguinmails.test ~all" });
    expect(d.dns.dkim).toBeNull();
    expect(d.dns.dmarc).toBeNull();
    expect(d.dns.autoconfig.map((r) => r.type)).toEqual(["SRV", "SRV", "SRV", "SRV", "SRV", "SRV", "SRV", "CNAME"]);
    expect(d.dns.autoconfig.at(-1)).toMatchObject({ name: "autoconfig.acme.test", value: "mail.penguinmails.test" });
    expect(d.dns.tlsa[0]).toMatchObject({ type: "TLSA", name: "_25._tcp.mail.penguinmails.test", ttl: 86400 });
  });

  it("generates a 2048-bit DKIM key and returns the record with MailU's split strings joined", async () => {
    await mailu.createDomain("acme.test");
    const dkim = await mailu.generateDkim("acme.test");
    const stored = fake.state.domains.get("acme.test")!.dkim!;
    expect(dkim.publicKey).toBe(stored.publicKey);
    expect(dkim).toMatchObject({ selector: "dkim", name: "dkim._domainkey.acme.test", value: `v=DKIM1; k=rsa; p=${stored.publicKey}` });
    // MailU prints the value as several quoted 250-character strings; the client joined them.
    expect(dkim.record).toMatch(/^dkim\._domainkey\.acme\.test\. 600 IN TXT "v=DKIM1; k=rsa; p=[^"]{232}" "/);
    const key = createPublicKey({ key: Buffer.from(dkim.publicKey, "base64"), format: "der", type: "spki" });
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const d = await mailu.getDomain("acme.test");
    expect(d.dns.dmarc?.value).toBe("v=DMARC1; p=reject; rua=mailto:admin@penguinmails.test; adkim=s; aspf=s");
    expect(d.dns.dmarcReport).toMatchObject({ name: "acme.test._report._dmarc.penguinmails.test", value: "v=DMARC1" });
    // A second call rotates the key.
    const again = await mailu.generateDkim("acme.test");
    expect(again.publicKey).not.toBe(dkim.publicKey);
  });

  it("duplicate domain → conflict with MailU's 409 shape; unknown domain → not_found", async () => {
    await mailu.createDomain("acme.test");
    const dup = await vendorError(mailu.createDomain("acme.test"));
    expect(dup).toMatchObject({ vendor: "mailu", code: "conflict", status: 409, message: "mailu: Duplicate domain name acme.test" });
    const missing = await vendorError(mailu.getDomain("nowhere.test"));
    expect(missing).toMatchObject({ code: "not_found", status: 404, message: "mailu: Domain nowhere.test does not exist" });
    expect((await vendorError(mailu.generateDkim("nowhere.test"))).code).toBe("not_found");
    await mailu.deleteDomain("acme.test");
    expect(fake.state.domains.has("acme.test")).toBe(false);
    expect((await vendorError(mailu.deleteDomain("acme.test"))).status).toBe(404);
  });

  it("maps the HTTP-200 {code:400} quirk of GET /domain/<invalid> to an invalid error", async () => {
    const raw = await fetch(`${fake.url}/domain/not_a_domain`, { headers: { authorization: TOKEN } });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual({ code: 400, message: "Domain not_a_domain is not a valid domain" });
    const err = await vendorError(mailu.getDomain("not_a_domain"));
    expect(err).toMatchObject({ code: "invalid", status: 400, message: "mailu: Domain not_a_domain is not a valid domain" });
  });

  it("a domain name clashing with a relayed domain is a conflict too", async () => {
    const res = await fetch(`${fake.url}/relay`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "relayed.test" }),
    });
    expect(res.status).toBe(200);
    expect((await vendorError(mailu.createDomain("relayed.test"))).code).toBe("conflict");
  });
});

describe("MailU client: users and tokens", () => {
  beforeEach(() => mailu.createDomain("acme.test"));

  it("creates a user with forwarding, and never returns the password hash MailU sends", async () => {
    await mailu.createUser(user("Jane@Acme.test"));
    const stored = fake.state.users.get("jane@acme.test")!;
    expect(stored).toMatchObject({ quotaBytes: 2_000_000_000, forwardEnabled: true, forwardKeep: true, displayedName: "Jane Sender" });
    expect(stored.forwardDestination).toEqual(["replies+ten_1@inbound.penguinmails.test"]);
    expect(stored.passwordHash).toMatch(/^\$bcrypt-sha256\$/);
    // The fake really sends the hash on the wire …
    const raw = (await (await fetch(`${fake.url}/user/jane@acme.test`, { headers: { authorization: TOKEN } })).json()) as {
      password: string;
    };
    expect(raw.password).toBe(stored.passwordHash);
    // … and the client drops it.
    const u = await mailu.getUser("jane@acme.test");
    expect(u).toEqual({
      email: "jane@acme.test",
      quotaBytes: 2_000_000_000,
      enabled: true,
      allowSpoofing: false,
      forwardEnabled: true,
      forwardDestination: ["replies+ten_1@inbound.penguinmails.test"],
      forwardKeep: true,
      displayedName: "Jane Sender",
      comment: null,
    });
    expect(JSON.stringify(u)).not.toContain(stored.passwordHash);
    expect(JSON.stringify(u)).not.toContain("bcrypt");
  });

  it("updates only the fields given (password re-hashed), deletes, and 404s afterwards", async () => {
    await mailu.createUser(user("jane@acme.test"));
    const before = fake.state.users.get("jane@acme.test")!.passwordHash;
    await mailu.updateUser("jane@acme.test", { quotaBytes: 500, rawPassword: "another-pass-123" });
    const after = fake.state.users.get("jane@acme.test")!;
    expect(after.quotaBytes).toBe(500);
    expect(after.passwordHash).not.toBe(before);
    expect(after.forwardEnabled).toBe(true); // untouched
    await mailu.deleteUser("jane@acme.test");
    expect(fake.state.users.size).toBe(0);
    const gone = await vendorError(mailu.deleteUser("jane@acme.test"));
    expect(gone).toMatchObject({ code: "not_found", status: 404, message: "mailu: User jane@acme.test cannot be found" });
  });

  it("duplicate user → conflict; user of an unknown domain → not_found", async () => {
    await mailu.createUser(user("jane@acme.test"));
    expect(await vendorError(mailu.createUser(user("jane@acme.test")))).toMatchObject({ code: "conflict", status: 409 });
    expect(await vendorError(mailu.createUser(user("jane@other.test")))).toMatchObject({
      code: "not_found",
      status: 404,
      message: "mailu: Domain other.test does not exist",
    });
  });

  it("schema failures come back as invalid with flask-restx's per-field errors", async () => {
    const err = await vendorError(mailu.createUser({ ...user("jane@acme.test"), quotaBytes: 1.5 }));
    expect(err).toMatchObject({ code: "invalid", status: 400, fields: { quota_bytes: "1.5 is not of type 'integer'" } });
    expect(err.message).toBe("mailu: Input payload validation failed (quota_bytes: 1.5 is not of type 'integer')");
    expect(fake.state.users.size).toBe(0);
  });

  it("creates an IP-restricted app token; MailU keeps only its hash", async () => {
    await mailu.createUser(user("jane@acme.test"));
    const t = await mailu.createToken({ email: "jane@acme.test", comment: "smtp", authorizedIp: ["203.0.113.0/24"] });
    expect(t.id).toBe("1");
    expect(t.token).toMatch(/^[0-9a-f]{32}$/);
    const stored = fake.state.tokens.get(1)!;
    expect(stored).toMatchObject({ email: "jane@acme.test", comment: "smtp", authorizedIp: ["203.0.113.0/24"] });
    expect(stored.tokenSha256).toBe(createHash("sha256").update(t.token).digest("hex"));
    expect(await vendorError(mailu.createToken({ email: "jane@acme.test", authorizedIp: ["not-an-ip"] }))).toMatchObject({
      code: "invalid",
      message: "mailu: Provided AuthorizedIP not-an-ip in ['not-an-ip'] is invalid",
    });
    expect((await vendorError(mailu.createToken({ email: "nobody@acme.test" }))).code).toBe("not_found");
  });
});

describe("MailU client: authentication", () => {
  it("sends the token as a Bearer header; MailU also takes it bare", async () => {
    await mailu.createDomain("acme.test");
    expect(fake.state.requests.at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
    const bare = await fetch(`${fake.url}/domain`, { headers: { authorization: TOKEN } });
    expect(bare.status).toBe(200);
    expect(((await bare.json()) as unknown[]).length).toBe(1);
  });

  it("no token → 401 auth; wrong token → 403 auth; neither leaks the token", async () => {
    const none = await vendorError(mailuHttp({ baseUrl: fake.url, token: "" }).getDomain("acme.test"));
    expect(none).toMatchObject({ code: "auth", status: 401, message: "mailu: A valid Authorization header is mandatory" });
    const wrongToken = "wrong-token-d41d8cd98f";
    const wrong = await vendorError(mailuHttp({ baseUrl: fake.url, token: wrongToken }).createDomain("acme.test"));
    expect(wrong).toMatchObject({ code: "auth", status: 403, message: "mailu: Invalid API token" });
    expectNoSecrets(wrong, [wrongToken]);
    expect(fake.state.domains.size).toBe(0);
  });

  it("repeated bad tokens rate-limit the caller's network: 429 even with the right token", async () => {
    await restart({ authRateLimit: { max: 3, windowMs: 60_000 } });
    const bad = mailuHttp({ baseUrl: fake.url, token: "bad-token-xyz" });
    for (let i = 0; i < 3; i++) expect((await vendorError(bad.getDomain("acme.test"))).status).toBe(403);
    const limited = await vendorError(mailu.createDomain("acme.test"));
    expect(limited).toMatchObject({ code: "rate_limited", status: 429, message: "mailu: Too many attempts from your IP (rate-limit)" });
    expect(limited.retryable).toBe(true);
    expect(fake.state.domains.size).toBe(0);
    // Another /24 (X-Real-IP) is not affected.
    const other = await fetch(`${fake.url}/domain`, { headers: { authorization: TOKEN, "x-real-ip": "198.51.100.7" } });
    expect(other.status).toBe(200);
  });

  it("a server without API_TOKEN answers HTML 500 → auth (configuration), not retryable", async () => {
    await restart({ token: "" });
    const err = await vendorError(mailuHttp({ baseUrl: fake.url, token: TOKEN }).getDomain("acme.test"));
    expect(err).toMatchObject({ code: "auth", status: 500, message: "mailu: Error: API_TOKEN is not configured" });
    expect(err.retryable).toBe(false);
  });
});

describe("MailU client: secrets never reach error messages", () => {
  it("scrubs the token and password when the network error quotes the request", async () => {
    const client = mailuHttp({ baseUrl: fake.url, token: TOKEN }, leakyFailingFetch);
    const err = await vendorError(client.createUser(user("jane@acme.test")));
    expect(err).toMatchObject({ code: "unavailable", status: null });
    expect(err.message).toContain("[redacted]");
    expectNoSecrets(err, [TOKEN, PASSWORD]);
  });

  it("scrubs a password or hash echoed back in a validation error", async () => {
    await mailu.createDomain("acme.test");
    // A MailU build that echoes the submitted value (jsonschema messages quote values).
    const echoing = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body ?? "{}")) as { raw_password?: string };
      return new Response(
        JSON.stringify({
          errors: {
            raw_password: `'${body.raw_password}' is too short`,
            password: "$bcrypt-sha256$v=2,t=2b,r=12$abcdefghijklmnopqrstuv$0123456789abcdefghijklmnopqrstu",
          },
          message: "Input payload validation failed",
        }),
        { status: 400, headers: { "content-type": "application/json" } },
      );
    }) as typeof fetch;
    const err = await vendorError(mailuHttp({ baseUrl: fake.url, token: TOKEN }, echoing).createUser(user("jane@acme.test")));
    expect(err.code).toBe("invalid");
    expect(err.fields?.raw_password).toBe("'[redacted]' is too short");
    expectNoSecrets(err, [TOKEN, PASSWORD, "abcdefghijklmnopqrstuv$0123456789"]);
  });

  it("a response that drifted from MailU's schema is unavailable and names paths, not values", async () => {
    const drifted = (async () =>
      new Response(JSON.stringify({ id: 7, token: 12345, email: "x@acme.test" }), { status: 200 })) as typeof fetch;
    const err = await vendorError(mailuHttp({ baseUrl: fake.url, token: TOKEN }, drifted).createToken({ email: "x@acme.test" }));
    expect(err).toMatchObject({ code: "unavailable", message: "mailu: unexpected POST /token response (token)" });
  });
});

describe("MailU fake: one fake for every node's API token (fake-only control endpoint)", () => {
  const NODE_TOKEN = "node-7-api-token-5a6b7c8d";

  it("accepts opts.token and any token added to state.apiTokens", async () => {
    expect([...fake.state.apiTokens]).toEqual([TOKEN]);
    const node = mailuHttp({ baseUrl: fake.url, token: NODE_TOKEN });
    expect((await vendorError(node.createDomain("acme.test"))).code).toBe("auth");
    fake.state.apiTokens.add(NODE_TOKEN);
    await node.createDomain("acme.test");
    expect((await node.getDomain("acme.test")).name).toBe("acme.test");
    await mailu.getDomain("acme.test"); // the initial token still works
  });

  it("POST /__control/api-tokens registers a token without auth (204), and validates the body", async () => {
    const control = `${new URL(fake.url).origin}/__control/api-tokens`;
    const res = await fetch(control, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: NODE_TOKEN }),
    });
    expect(res.status).toBe(204);
    expect(fake.state.apiTokens.has(NODE_TOKEN)).toBe(true);
    await mailuHttp({ baseUrl: fake.url, token: NODE_TOKEN }).createDomain("acme.test");
    expect(fake.state.domains.has("acme.test")).toBe(true);
    expect((await fetch(control, { method: "POST", body: "not json" })).status).toBe(400);
    expect((await fetch(control, { method: "POST", body: JSON.stringify({ token: 42 }) })).status).toBe(400);
    expect((await fetch(control, { method: "POST", body: JSON.stringify({ token: "ab" }) })).status).toBe(400);
    expect((await fetch(control)).status).toBe(405);
    expect(fake.state.apiTokens.size).toBe(2);
    // Control calls are not MailU traffic: they are not in state.requests.
    expect(fake.state.requests.some((r) => r.path.startsWith("/__control"))).toBe(false);
  });

  it("a fake started without a token is 'not configured' until a node registers one", async () => {
    await restart({ token: "" });
    expect(fake.state.apiTokens.size).toBe(0);
    const node = mailuHttp({ baseUrl: fake.url, token: NODE_TOKEN });
    expect(await vendorError(node.getDomain("acme.test"))).toMatchObject({ code: "auth", status: 500 });
    fake.state.apiTokens.add(NODE_TOKEN);
    expect((await vendorError(node.getDomain("acme.test"))).code).toBe("not_found");
  });
});

describe("MailU fake: failure injection", () => {
  it("failNext 'POST /domain' answers a proxy's HTML 503 `times` times, before auth, touching nothing", async () => {
    fake.state.failNext.set("POST /domain", { message: "admin container restarting", times: 2 });
    const raw = await fetch(`${fake.url}/domain`, {
      method: "POST",
      headers: { authorization: "wrong-token-entirely", "content-type": "application/json" },
      body: JSON.stringify({ name: "acme.test" }),
    });
    expect(raw.status).toBe(503);
    expect(raw.headers.get("content-type")).toContain("text/html");
    const html = await raw.text();
    expect(html).toContain("<h1>503 Service Temporarily Unavailable</h1>");
    expect(html).toContain("admin container restarting");
    const err = await vendorError(mailu.createDomain("acme.test"));
    expect(err).toMatchObject({ vendor: "mailu", code: "unavailable", status: 503 });
    expect(err.retryable).toBe(true);
    expect(fake.state.domains.size).toBe(0);
    expect(fake.state.failNext.size).toBe(0);
    await mailu.createDomain("acme.test");
    expect(fake.state.domains.has("acme.test")).toBe(true);
  });

  it("matches the method and the path prefix at a segment boundary only", async () => {
    await mailu.createDomain("acme.test");
    fake.state.failNext.set("POST /domain", { message: "down", times: 5 });
    await mailu.getDomain("acme.test"); // GET is not POST
    await mailu.createUser({ email: "jane@acme.test", rawPassword: PASSWORD, quotaBytes: 1_000 }); // /user is not under /domain
    expect((await vendorError(mailu.generateDkim("acme.test"))).status).toBe(503); // POST /domain/acme.test/dkim is
    expect(fake.state.failNext.get("POST /domain")?.times).toBe(4);
    fake.state.failNext.clear();
    fake.state.failNext.set("DELETE /api/v1/user/jane@acme.test", { message: "down", times: 1 });
    expect((await vendorError(mailu.deleteUser("jane@acme.test"))).status).toBe(503);
    await mailu.deleteUser("jane@acme.test");
    expect(fake.state.users.size).toBe(0);
  });
});
