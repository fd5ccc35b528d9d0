import { describe, expect, it } from "vitest";
import { newAgentToken, parseAgentToken, signBootstrap, verifyBootstrap } from "../../../workers/infra/agent-auth.ts";
import { renderBootstrapFiles, renderBootstrapScript } from "../../../workers/infra/bootstrap-files.ts";
import { nodeHealth } from "../../../workers/infra/nodes.ts";
import { StartProvisioningInput } from "../../../workers/infra/provisioning.ts";
import { reconcileNode } from "../../../workers/infra/sync.ts";
import { domainVerdict } from "../../../workers/infra/verify.ts";
import type { HostwindsInstance } from "../../../workers/integrations/hostwinds/client.ts";

const T = "ten_01JD0000000000000000000000";
const N = "nod_01JD0000000000000000000000";

describe("domainVerdict", () => {
  const rec = (purpose: string, status: string, managedAt: "zone" | "provider" = "zone") => ({ purpose, status, managedAt }) as never;
  const all = (status: string) => ["mx", "mail_host", "spf", "dkim", "dmarc"].map((p) => rec(p, status));
  it("verifies when every required zone record matches; tracking and PTR do not count", () => {
    expect(domainVerdict("pending", [...all("match"), rec("tracking", "missing"), rec("ptr", "mismatch", "provider")])).toBe("verified");
  });
  it("stays pending until then, and a verified domain that loses a record drifts", () => {
    const some = [...all("match").slice(1), rec("mx", "missing")];
    expect(domainVerdict("pending", some)).toBe("pending");
    expect(domainVerdict("verified", some)).toBe("drift");
    expect(domainVerdict("drift", all("match"))).toBe("verified");
  });
  it("a failed lookup is no evidence: the previous verdict stands", () => {
    const flaky = [...all("match").slice(1), rec("mx", "error")];
    expect(domainVerdict("verified", flaky)).toBe("verified");
    expect(domainVerdict("pending", flaky)).toBe("pending");
  });
});

describe("nodeHealth", () => {
  const now = Date.parse("2026-11-28T12:00:00Z");
  it("is healthy within three heartbeats (90 s) and unhealthy after", () => {
    expect(nodeHealth({ status: "active", lastHeartbeatAt: new Date(now - 89_000) }, now)).toBe("healthy");
    expect(nodeHealth({ status: "active", lastHeartbeatAt: new Date(now - 91_000) }, now)).toBe("unhealthy");
    expect(nodeHealth({ status: "active", lastHeartbeatAt: null }, now)).toBe("unhealthy");
    expect(nodeHealth({ status: "maintenance", lastHeartbeatAt: new Date(now) }, now)).toBe("maintenance");
  });
});

describe("reconcileNode (nightly sync)", () => {
  const inst = (over: Partial<HostwindsInstance> = {}): HostwindsInstance => ({
    serviceid: 7,
    srvrname: "pm-abc",
    hostname: null,
    locationId: 1,
    status: "active",
    vmState: "active",
    taskState: null,
    mainIp: "203.0.113.9",
    ips: ["203.0.113.9"],
    ready: true,
    ...over,
  });
  const node = { srvrname: "pm-abc", providerServiceId: 7, status: "active", mainIp: "203.0.113.9", ips: ["203.0.113.9"] };
  it("is quiet when the provider agrees", () => {
    expect(reconcileNode(node, [inst()])).toMatchObject({ drift: null, patch: {} });
  });
  it("adopts a lost service id by srvrname and reports changed IPs and vanished servers", () => {
    expect(reconcileNode({ ...node, providerServiceId: null }, [inst()]).patch).toEqual({ providerServiceId: 7 });
    const moved = reconcileNode(node, [inst({ mainIp: "203.0.113.50", ips: ["203.0.113.50"] })]);
    expect(moved.drift).toMatch(/main IP changed from 203.0.113.9 to 203.0.113.50/);
    expect(moved.patch).toMatchObject({ mainIp: "203.0.113.50", ips: ["203.0.113.50"] });
    expect(reconcileNode(node, []).drift).toMatch(/no longer listed/);
    expect(reconcileNode({ ...node, status: "provisioning" }, []).drift).toBeNull();
    expect(reconcileNode(node, [inst({ status: "suspended" })]).drift).toMatch(/suspended/);
  });
});

describe("agent credentials", () => {
  it("bootstrap links are signed, expire, and name their tenant and node", async () => {
    const now = Date.now();
    const tok = await signBootstrap("s".repeat(40), { tenantId: T, nodeId: N, nonce: "n1", expiresAt: now + 1000 });
    expect(await verifyBootstrap("s".repeat(40), tok, now)).toMatchObject({ tenantId: T, nodeId: N, nonce: "n1" });
    expect(await verifyBootstrap("s".repeat(40), tok, now + 2000)).toBeNull();
    expect(await verifyBootstrap("t".repeat(40), tok, now)).toBeNull();
    expect(await verifyBootstrap("s".repeat(40), tok.replace(".n1.", ".n2."), now)).toBeNull();
    expect(await verifyBootstrap("s".repeat(40), "garbage", now)).toBeNull();
  });
  it("agent tokens parse only in their exact shape", () => {
    const t = newAgentToken(T, N);
    expect(parseAgentToken(`Bearer ${t}`)).toEqual({ tenantId: T, nodeId: N, token: t });
    expect(parseAgentToken(`Bearer pmn.${T}.${N}.short`)).toBeNull();
    expect(parseAgentToken("Bearer pm_live_x")).toBeNull();
    expect(parseAgentToken(null)).toBeNull();
  });
});

describe("bootstrap bundle", () => {
  const files = renderBootstrapFiles({
    nodeId: N,
    hostname: "mail.acme.test",
    firstDomain: "acme.test",
    mailuApiToken: "mailu-token-123",
    agentToken: "pmn.x",
    readyUrl: "https://app/api/nodes/ready",
    heartbeatUrl: "https://app/api/nodes/heartbeat",
    secretKey: "k".repeat(32),
    mainIp: "203.0.113.9",
  });
  it("enables MailU's API with the node's token, lifts the 200/day user limit and signs List-Unsubscribe-Post and VERP mail", () => {
    expect(files["mailu.env"]).toMatch(/^API=true$/m);
    expect(files["mailu.env"]).toMatch(/^API_TOKEN=mailu-token-123$/m);
    expect(files["mailu.env"]).toMatch(/^HOSTNAMES=mail\.acme\.test$/m);
    expect(files["mailu.env"]).toMatch(/^MESSAGE_RATELIMIT=10000\/day$/m);
    expect(files["overrides/rspamd/dkim_signing.conf"]).toContain("list-unsubscribe-post");
    // The VERP envelope sender is on the inbound domain, not the From domain: rspamd must still sign.
    expect(files["overrides/rspamd/dkim_signing.conf"]).toMatch(/^allow_hdrfrom_mismatch = true;$/m);
    expect(files["docker-compose.yml"]).toContain("587:587");
    expect(JSON.parse(files["agent.json"]!)).toMatchObject({ nodeId: N, heartbeatSeconds: 30 });
  });
  it("renders as one shell script with quoted heredocs (no expansion of $ in values)", () => {
    const sh = renderBootstrapScript(files);
    expect(sh.startsWith("#!/bin/sh\n")).toBe(true);
    expect(sh).toContain("cat > '/mailu/mailu.env' <<'PM_EOF'");
    expect(sh).toContain("cat > '/etc/penguinmails/agent.json' <<'PM_EOF'");
    expect(sh.match(/<<'PM_EOF'/g)).toHaveLength(Object.keys(files).length);
  });
});

describe("StartProvisioningInput", () => {
  it("defaults the size and caps mailboxes; zone ids are 32 hex characters", () => {
    expect(StartProvisioningInput.parse({ workspaceId: "w", domain: "a.test" })).toMatchObject({
      size: "small",
      dedicated: false,
      mailboxes: [],
    });
    expect(
      StartProvisioningInput.safeParse({ workspaceId: "w", domain: "a.test", cloudflare: { zoneId: "nope", apiToken: "x".repeat(30) } })
        .success,
    ).toBe(false);
    const many = Array.from({ length: 11 }, (_, i) => ({ localPart: `u${i}`, fromName: "U" }));
    expect(StartProvisioningInput.safeParse({ workspaceId: "w", domain: "a.test", mailboxes: many }).success).toBe(false);
  });
});
