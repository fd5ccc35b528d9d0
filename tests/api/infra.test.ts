import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { recheckDueDomains } from "../../workers/infra/verify.ts";
import { cloudflareDns } from "../../workers/integrations/cloudflare-dns/client.ts";
import { isVendorError } from "../../workers/integrations/errors.ts";
import { runInTx } from "../../workers/platform/db.ts";
import { type Caller, call, seed, signInAs } from "../support/api.ts";
import { CF_TOKEN, CF_ZONE, mailu, nodeRow, rand, seedNode, withScope } from "../support/infra.ts";
import { latestMail } from "../support/outbox.ts";
import type { SeededTenant } from "../support/seed.ts";

// Sending domains, DNS, hosted mailboxes and the node agent endpoints, against the vendor fakes
// (MailU, Cloudflare DNS + DoH) started in globalSetup.
let t: SeededTenant;
let s: Caller;
const cf = () => cloudflareDns({ token: CF_TOKEN }, fetch, (env as unknown as Record<string, string>).CLOUDFLARE_API_URL);

beforeAll(async () => {
  t = await seed("Infra");
  s = await signInAs(t);
});

async function domainOnNode() {
  const name = `d${rand()}.cfzone.test`;
  const nodeId = await seedNode(t.tenantId, { hostname: `mail.${name}`, ip: `198.51.100.${Math.floor(Math.random() * 200) + 10}` });
  const r = await call("POST", "/api/v1/domains", { ...s, body: { workspaceId: t.workspaceId, name: name.toUpperCase(), nodeId } });
  expect(r.status, r.text).toBe(201);
  return { name, nodeId, domain: r.json };
}

describe("sending domains", () => {
  it("adds a domain on the node's MailU with a 2048-bit DKIM key and lists every record to publish", async () => {
    const { name, domain } = await domainOnNode();
    expect(domain).toMatchObject({ name, status: "pending", dkimSelector: "dkim", dmarcRua: "dmarc@inbound.penguinmails.test" });
    const byPurpose = Object.fromEntries(domain.records.map((r: { purpose: string }) => [r.purpose, r]));
    expect(Object.keys(byPurpose).sort()).toEqual(["dkim", "dmarc", "mail_host", "mx", "ptr", "spf", "tracking"]);
    expect(byPurpose.mx).toMatchObject({ type: "MX", name, value: `mail.${name}`, priority: 10 });
    expect(byPurpose.spf.value).toMatch(/^v=spf1 ip4:198\.51\.100\.\d+ ~all$/);
    expect(byPurpose.dmarc.value).toContain("p=none");
    expect(byPurpose.dkim.name).toBe(`dkim._domainkey.${name}`);
    expect(byPurpose.dkim.value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]{300,}/);
    expect(byPurpose.ptr).toMatchObject({ managedAt: "provider", value: `mail.${name}` });
    const onNode = await mailu().getDomain(name);
    expect(onNode.dns.dkim?.value).toBe(byPurpose.dkim.value);
  });

  it("refuses bad names, duplicates and tenants without a healthy node, leaving nothing behind", async () => {
    const bad = await call("POST", "/api/v1/domains", { ...s, body: { workspaceId: t.workspaceId, name: "https://acme.com/x" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("BAD_REQUEST");
    const { name } = await domainOnNode();
    const dup = await call("POST", "/api/v1/domains", { ...s, body: { workspaceId: t.workspaceId, name } });
    expect(dup.status).toBe(409);

    const lonely = await seed("InfraNoNode");
    const ls = await signInAs(lonely);
    await seedNode(lonely.tenantId, { heartbeatAgoMs: 5 * 60_000 }); // stale: 3 heartbeats missed
    const none = await call("POST", "/api/v1/domains", {
      ...ls,
      body: { workspaceId: lonely.workspaceId, name: `x${rand()}.cfzone.test` },
    });
    expect(none.status).toBe(409);
    expect(none.json.error.message).toMatch(/No healthy sending node/);
    const list = await call("GET", "/api/v1/domains", ls);
    expect(list.json.items).toEqual([]);
    const nodes = await call("GET", "/api/v1/nodes", ls);
    expect(nodes.json.items[0].health).toBe("unhealthy");
  });

  it("suggests cold-mail sub-domains", async () => {
    const r = await call("GET", "/api/v1/domains/suggestions?domain=Acme.com", s);
    expect(r.json).toEqual({ domain: "acme.com", suggestions: ["outreach.acme.com", "m.acme.com", "mail.acme.com"] });
  });

  it("verifies over DoH: missing until published through Cloudflare, then verified; drift is flagged by the hourly re-check", async () => {
    const { domain } = await domainOnNode();
    const first = await call("POST", `/api/v1/domains/${domain.id}/verify`, s);
    expect(first.status).toBe(200);
    expect(first.json.status).toBe("pending");
    const spf = first.json.records.find((r: { purpose: string }) => r.purpose === "spf");
    expect(spf).toMatchObject({ status: "missing", attempts: 1 });
    expect(spf.lastError).toBeTruthy();

    const wrong = await call("POST", `/api/v1/domains/${domain.id}/dns/apply`, {
      ...s,
      body: { zoneId: CF_ZONE, apiToken: "not-the-right-token-123" },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error.message).toMatch(/Cloudflare: The token was refused/);
    expect(wrong.text).not.toContain("not-the-right-token-123");

    const applied = await call("POST", `/api/v1/domains/${domain.id}/dns/apply`, {
      ...s,
      body: { zoneId: CF_ZONE, apiToken: CF_TOKEN, remember: true },
    });
    expect(applied.status, applied.text).toBe(200);
    expect(applied.text).not.toContain(CF_TOKEN);
    expect(applied.json.status).toBe("verified");
    expect(applied.json.recordsOk).toBe(applied.json.recordsTotal);
    // Applying again adopts what is there instead of duplicating it (two SPF records would be a permerror).
    const again = await call("POST", `/api/v1/domains/${domain.id}/dns/apply`, { ...s, body: { zoneId: CF_ZONE } });
    expect(again.status).toBe(200);
    const spfs = (await cf().listRecords(CF_ZONE, { name: domain.name, type: "TXT" })).filter((r) => r.content.includes("v=spf1"));
    expect(spfs).toHaveLength(1);

    // Someone deletes the DKIM record: the next due re-check turns the domain to drift and audits it.
    const dkim = await cf().listRecords(CF_ZONE, { name: `dkim._domainkey.${domain.name}`, type: "TXT" });
    await cf().deleteRecord(CF_ZONE, dkim[0]!.id);
    const tally = await withScope(t.tenantId, (sc) => recheckDueDomains(sc, new Date(Date.now() + 2 * 3600_000)));
    expect(tally.drift).toBeGreaterThanOrEqual(1);
    const after = await call("GET", `/api/v1/domains/${domain.id}`, s);
    expect(after.json.status).toBe("drift");
    expect(after.json.records.find((r: { purpose: string }) => r.purpose === "dkim").status).toBe("missing");
    const audit = await call("GET", "/api/v1/audit-log?action=domain.dns_drift", s);
    expect(JSON.stringify(audit.json)).toContain(domain.id);
    const alert = await latestMail(t.email, "infra_alert");
    expect(alert.mail.subject).toBe(`DNS problem on ${domain.name}`);
    expect(alert.mail.text).toContain(`dkim._domainkey.${domain.name}`);

    // Removing the domain releases the records we published in the customer's zone.
    expect((await call("DELETE", `/api/v1/domains/${domain.id}`, s)).status).toBe(200);
    const left = (await cf().listRecords(CF_ZONE)).filter((r) => r.name === domain.name || r.name.endsWith(`.${domain.name}`));
    expect(left).toEqual([]);
  });
});

describe("hosted mailboxes", () => {
  it("creates MailU users with forwarding, registers them as sending mailboxes, is idempotent and cleans up on delete", async () => {
    const { name, domain, nodeId } = await domainOnNode();
    const r = await call("POST", `/api/v1/domains/${domain.id}/mailboxes`, {
      ...s,
      body: {
        mailboxes: [
          { localPart: "Ann", fromName: "Ann Lee" },
          { localPart: "bob.smith", fromName: "Bob" },
        ],
        dailyLimit: 40,
      },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.json.results.map((x: { status: string }) => x.status)).toEqual(["created", "created"]);
    const ann = r.json.results[0].mailbox;
    expect(ann).toMatchObject({
      email: `ann@${name}`,
      provider: "mailu",
      smtpHost: `mail.${name}`,
      smtpPort: 587,
      smtpSecurity: "starttls",
      dailyLimit: 40,
    });
    expect(r.text).not.toMatch(/password/i);
    const user = await mailu().getUser(`ann@${name}`);
    expect(user).toMatchObject({
      quotaBytes: 1_000_000_000,
      forwardEnabled: true,
      forwardKeep: true,
      forwardDestination: ["replies@inbound.penguinmails.test"],
      allowSpoofing: true, // the VERP envelope sender (workers/sending/verp.ts) is not the login
    });

    const again = await call("POST", `/api/v1/domains/${domain.id}/mailboxes`, {
      ...s,
      body: { mailboxes: [{ localPart: "ann", fromName: "Ann" }] },
    });
    expect(again.json.results[0].status).toBe("exists");

    // A node that missed three heartbeats is out of rotation for new mailboxes too.
    await withScope(t.tenantId, (sc) =>
      runInTx(sc.db, { tenantId: t.tenantId }, (tx) =>
        tx.execute(`update infra_nodes set last_heartbeat_at = now() - interval '5 minutes' where id = '${nodeId}'` as never),
      ),
    );
    const stale = await call("POST", `/api/v1/domains/${domain.id}/mailboxes`, {
      ...s,
      body: { mailboxes: [{ localPart: "cy", fromName: "Cy" }] },
    });
    expect(stale.status).toBe(409);
    expect(stale.json.error.message).toMatch(/unhealthy/);
    await withScope(t.tenantId, (sc) =>
      runInTx(sc.db, { tenantId: t.tenantId }, (tx) =>
        tx.execute(`update infra_nodes set last_heartbeat_at = now() where id = '${nodeId}'` as never),
      ),
    );

    const blocked = await call("DELETE", `/api/v1/domains/${domain.id}`, s);
    expect(blocked.status).toBe(409);
    const nodes = await call("GET", "/api/v1/nodes", s);
    expect(nodes.json.items.find((n: { id: string }) => n.id === nodeId)).toMatchObject({ domains: 1, mailboxes: 2, health: "healthy" });

    for (const x of r.json.results) expect((await call("DELETE", `/api/v1/mailboxes/${x.mailbox.id}`, s)).status).toBe(200);
    const gone = await mailu()
      .getUser(`ann@${name}`)
      .catch((e) => e);
    expect(isVendorError(gone) && gone.code).toBe("not_found");
    const removed = await call("DELETE", `/api/v1/domains/${domain.id}`, s);
    expect(removed.status).toBe(200);
    const dgone = await mailu()
      .getDomain(name)
      .catch((e) => e);
    expect(isVendorError(dgone) && dgone.code).toBe("not_found");
  });
});

describe("node agent endpoints", () => {
  it("serves the bootstrap bundle once, then accepts ready and heartbeats with the minted agent token", async () => {
    const nodeId = await seedNode(t.tenantId);
    const { bootstrapUrl } = await import("../../workers/infra/provisioning.ts");
    await withScope(t.tenantId, (sc) =>
      runInTx(sc.db, { tenantId: t.tenantId }, (tx) =>
        tx.execute(`update infra_nodes set bootstrap_nonce = 'nonce-${nodeId}' where id = '${nodeId}'` as never),
      ),
    );
    const node = await nodeRow(t.tenantId, nodeId);
    const url = new URL(await withScope(t.tenantId, (sc) => bootstrapUrl(sc, node)));
    const tampered = await call("GET", `${url.pathname.slice(0, -3)}abc?format=json`);
    expect(tampered.status).toBe(404);

    const boot = await call("GET", `${url.pathname}?format=json`);
    expect(boot.status, boot.text).toBe(200);
    expect(boot.headers.get("cache-control")).toBe("no-store");
    expect(boot.json.files["mailu.env"]).toContain(`API_TOKEN=${boot.json.mailuApiToken}`);
    expect(boot.json.files["mailu.env"]).toContain(`HOSTNAMES=${node.hostname}`);
    expect(boot.json.agentToken).toMatch(new RegExp(`^pmn\\.${t.tenantId}\\.${nodeId}\\.`));
    const second = await call("GET", `${url.pathname}`);
    expect(second.status).toBe(410);

    const anon = await call("POST", "/api/nodes/heartbeat", { body: { load1: 0.2 } });
    expect(anon.status).toBe(401);
    const forged = await call("POST", "/api/nodes/heartbeat", {
      headers: { authorization: `Bearer pmn.${t.tenantId}.${nodeId}.${"x".repeat(43)}` },
      body: { load1: 0.2 },
    });
    expect(forged.status).toBe(401);
    const auth = { authorization: `Bearer ${boot.json.agentToken}` };
    const bad = await call("POST", "/api/nodes/heartbeat", { headers: auth, body: { load1: "high" } });
    expect(bad.status).toBe(400);
    const hb = await call("POST", "/api/nodes/heartbeat", { headers: auth, body: { load1: 0.25, diskUsedPct: 41, queueDepth: 3 } });
    expect(hb.status).toBe(200);
    const dto = await call("GET", `/api/v1/nodes/${nodeId}`, s);
    expect(dto.json).toMatchObject({ health: "healthy", heartbeat: { load1: 0.25, diskUsedPct: 41, queueDepth: 3 } });
    // Secrets never leave through the API.
    for (const secret of [boot.json.agentToken, boot.json.mailuApiToken]) expect(JSON.stringify(dto.json)).not.toContain(secret);
  });

  it("maintenance takes a node out of rotation for new domains", async () => {
    const other = await seed("InfraMaint");
    const os = await signInAs(other);
    const nodeId = await seedNode(other.tenantId);
    const m = await call("POST", `/api/v1/nodes/${nodeId}/maintenance`, { ...os, body: { maintenance: true } });
    expect(m.json).toMatchObject({ status: "maintenance", health: "maintenance" });
    const none = await call("POST", "/api/v1/domains", { ...os, body: { workspaceId: other.workspaceId, name: `m${rand()}.cfzone.test` } });
    expect(none.status).toBe(409);
    await call("POST", `/api/v1/nodes/${nodeId}/maintenance`, { ...os, body: { maintenance: false } });
    const ok = await call("POST", "/api/v1/domains", { ...os, body: { workspaceId: other.workspaceId, name: `m${rand()}.cfzone.test` } });
    expect(ok.status).toBe(201);
  });
});

describe("secrets", () => {
  it("never reach a log line, the audit log or an API answer on the infrastructure paths", async () => {
    const lines: string[] = [];
    const capture = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
      lines.push(JSON.stringify({ level, msg, ...fields }, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v)));
    };
    const logger = { debug: capture("debug"), info: capture("info"), warn: capture("warn"), error: capture("error"), child: () => logger };
    const { applyDnsRecords } = await import("../../workers/infra/apply-dns.ts");
    const { createHostedMailboxes } = await import("../../workers/infra/hosted-mailboxes.ts");
    const { domain } = await domainOnNode();
    const wrongToken = "wrong-token-should-never-be-logged-42";
    await withScope(t.tenantId, async (sc) => {
      sc.log = logger;
      await expect(applyDnsRecords(sc, domain.id, { zoneId: CF_ZONE, apiToken: wrongToken })).rejects.toThrow(/Cloudflare/);
      await applyDnsRecords(sc, domain.id, { zoneId: CF_ZONE, apiToken: CF_TOKEN, remember: true });
      await createHostedMailboxes(sc, { domainId: domain.id, mailboxes: [{ localPart: "sec", fromName: "Sec" }] });
      await recheckDueDomains(sc, new Date(Date.now() + 3 * 3600_000));
    });
    const audit = await call("GET", "/api/v1/audit-log?limit=100", s);
    const mailboxes = await call("GET", `/api/v1/mailboxes?workspaceId=${t.workspaceId}`, s);
    const everything = [...lines, audit.text, mailboxes.text, (await call("GET", `/api/v1/domains/${domain.id}`, s)).text].join("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [wrongToken, CF_TOKEN, "test-mailu-bootstrap-token"]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/pmsec:1:/);
  });
});
