import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startFakeHostwinds } from "../../../scripts/fakes/hostwinds-fake.ts";
import { startFakeMailu } from "../../../scripts/fakes/mailu-fake.ts";
import { bootstrapUrlFrom, type FakeNodeAgent, startFakeNodeAgent } from "../../../scripts/fakes/node-agent.ts";
import { type Hostwinds, hostwindsHttp } from "../../../workers/integrations/hostwinds/client.ts";
import { mailuHttp } from "../../../workers/integrations/mailu/client.ts";

// The fake node agent against the real Hostwinds and MailU fakes, and a tiny stand-in for the
// Worker's three node endpoints (bootstrap once then 410, ready, heartbeat — all checking auth).
const API_KEY = "hw-api-key-0b1c2d3e4f";
const MAILU_ADMIN_TOKEN = "mailu-admin-token-7f3a9c";
const BOOT_TOKEN = "boot_9f8e7d6c5b4a";
const AGENT_TOKEN = "agent-secret-1a2b3c4d5e";
const NODE_MAILU_TOKEN = "node-mailu-token-a1b2c3d4e5f6";

interface Hit {
  method: string;
  path: string;
  query: string;
  authorization: string | null;
  body: Record<string, unknown> | null;
}

/** The Worker's /api/nodes/* endpoints, as far as the agent can tell. */
async function startWorkerStub() {
  const hits: Hit[] = [];
  const used = new Set<string>();
  const status = { ready: 200 as number, heartbeat: 200 as number };
  let origin = "";
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://stub");
      const text = Buffer.concat(chunks).toString("utf8");
      const authorization = typeof req.headers.authorization === "string" ? req.headers.authorization : null;
      hits.push({
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.search,
        authorization,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
      });
      const json = (code: number, body: unknown) => {
        res.writeHead(code, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const boot = /^\/api\/nodes\/bootstrap\/([^/]+)$/.exec(url.pathname);
      if (boot && req.method === "GET") {
        const token = boot[1]!;
        if (token !== BOOT_TOKEN || used.has(token)) return json(410, { error: { code: "gone", message: "bootstrap already used" } });
        used.add(token);
        if (url.searchParams.get("format") !== "json") return json(400, { error: { code: "format" } });
        return json(200, {
          nodeId: "node_01",
          hostname: "mail1.acme-outreach.test",
          mailuApiToken: NODE_MAILU_TOKEN,
          agentToken: AGENT_TOKEN,
          readyUrl: `${origin}/api/nodes/ready`,
          heartbeatUrl: "/api/nodes/heartbeat", // relative: resolved against the bootstrap URL
          files: { "mailu.env": `API_TOKEN=${NODE_MAILU_TOKEN}\n`, "docker-compose.yml": "services: {}\n" },
        });
      }
      if (req.method === "POST" && (url.pathname === "/api/nodes/ready" || url.pathname === "/api/nodes/heartbeat")) {
        if (authorization !== `Bearer ${AGENT_TOKEN}`) return json(401, { error: { code: "unauthorized" } });
        const code = url.pathname.endsWith("/ready") ? status.ready : status.heartbeat;
        if (code === 204) {
          res.writeHead(204);
          return res.end();
        }
        return json(code, code < 300 ? { ok: true } : { error: { code: "unavailable" } });
      }
      json(404, { error: { code: "not_found" } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    hits,
    status,
    of: (path: string) => hits.filter((h) => h.path.startsWith(path)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let hostwinds: Awaited<ReturnType<typeof startFakeHostwinds>>;
let mailuFake: Awaited<ReturnType<typeof startFakeMailu>>;
let worker: Awaited<ReturnType<typeof startWorkerStub>>;
let agent: FakeNodeAgent | undefined;
let hw: Hostwinds;
const logs: string[] = [];

beforeEach(async () => {
  logs.length = 0;
  hostwinds = await startFakeHostwinds({ apiKey: API_KEY, revealServiceId: true, appearAfterPolls: 0, provisionAfterPolls: 1 });
  mailuFake = await startFakeMailu({ token: MAILU_ADMIN_TOKEN, dkimBits: 1024 });
  worker = await startWorkerStub();
  hw = hostwindsHttp({ baseUrl: hostwinds.url, apiKey: API_KEY });
});
afterEach(async () => {
  await agent?.close();
  agent = undefined;
  await Promise.all([hostwinds.close(), mailuFake.close(), worker.close()]);
});

const cloudInit = (url: string) => `#!/bin/sh\nset -eu\n# PenguinMails node bootstrap\ncurl -fsSL '${url}' | sh\n`;

/** Orders a VPS the way the provisioning workflow does (user_data = cloud-init), and polls it to active. */
async function orderNode(userData: string): Promise<{ serviceid: number; ip: string }> {
  const res = await fetch(hostwinds.url, {
    method: "POST",
    body: new URLSearchParams({
      action: "add_instance",
      API: API_KEY,
      template: "ubuntu-24.04",
      rid: "1001",
      location_id: "1",
      srvrname: "pm-node-01",
      user_data: userData,
    }),
  });
  const serviceid = ((await res.json()) as { serviceid?: number }[])[1]!.serviceid!;
  for (let i = 0; i < 5; i++) {
    const inst = await hw.getInstance(serviceid);
    if (inst.ready) return { serviceid, ip: inst.mainIp! };
  }
  throw new Error("instance never turned active");
}

const start = (heartbeatMs = 50) => {
  agent = startFakeNodeAgent({ hostwinds, mailu: mailuFake, intervalMs: 20, heartbeatMs, log: (m) => logs.push(m) });
  return agent;
};

describe("fake node agent", () => {
  it("plays a node: bootstrap once, registers the MailU token, reports ready, heartbeats until terminated", async () => {
    const a = start();
    const { serviceid, ip } = await orderNode(cloudInit(`${worker.origin}/api/nodes/bootstrap/${BOOT_TOKEN}`));

    await vi.waitFor(() => expect(worker.of("/api/nodes/heartbeat").length).toBeGreaterThanOrEqual(3), { timeout: 3_000 });

    // Bootstrap: fetched once, as JSON.
    const boots = worker.of("/api/nodes/bootstrap/");
    expect(boots).toHaveLength(1);
    expect(boots[0]).toMatchObject({ method: "GET", path: `/api/nodes/bootstrap/${BOOT_TOKEN}`, query: "?format=json" });

    // The node's MailU API token works against the MailU fake, with the real client.
    expect(mailuFake.state.apiTokens.has(NODE_MAILU_TOKEN)).toBe(true);
    const nodeMailu = mailuHttp({ baseUrl: mailuFake.url, token: NODE_MAILU_TOKEN });
    await nodeMailu.createDomain("acme-outreach.test");
    expect((await nodeMailu.getDomain("acme-outreach.test")).name).toBe("acme-outreach.test");

    // Ready: once, with the agent token and the instance's IP.
    const ready = worker.of("/api/nodes/ready");
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({
      method: "POST",
      authorization: `Bearer ${AGENT_TOKEN}`,
      body: { version: "fake-agent/1", mailuVersion: "2024.06", ips: [ip] },
    });

    // Heartbeats: authorised, with the metrics the Worker records.
    for (const h of worker.of("/api/nodes/heartbeat")) {
      expect(h.authorization).toBe(`Bearer ${AGENT_TOKEN}`);
      expect(h.body).toMatchObject({ version: "fake-agent/1", queueDepth: 0 });
      const b = h.body as Record<string, number>;
      expect(b.load1).toBeGreaterThanOrEqual(0);
      expect(b.load1).toBeLessThanOrEqual(1);
      for (const k of ["memUsedPct", "diskUsedPct"]) expect(b[k]).toBeGreaterThanOrEqual(0);
      for (const k of ["memUsedPct", "diskUsedPct"]) expect(b[k]).toBeLessThanOrEqual(100);
      expect(Number.isInteger(b.uptimeSeconds)).toBe(true);
    }
    const node = a.state.nodes.get(serviceid)!;
    expect(node).toMatchObject({ phase: "ready", nodeId: "node_01", hostname: "mail1.acme-outreach.test", ip });
    expect(node.files).toEqual(["mailu.env", "docker-compose.yml"]);
    expect(node.heartbeats).toBeGreaterThanOrEqual(3);
    expect(node.lastHeartbeatAt).toBeInstanceOf(Date);
    expect(worker.hits.every((h) => !h.authorization || h.authorization === `Bearer ${AGENT_TOKEN}`)).toBe(true);

    // Terminate → heartbeats stop.
    await hw.terminate(serviceid);
    await vi.waitFor(() => expect(a.state.nodes.get(serviceid)?.phase).toBe("terminated"), { timeout: 2_000 });
    const count = worker.of("/api/nodes/heartbeat").length;
    await new Promise((r) => setTimeout(r, 250));
    expect(worker.of("/api/nodes/heartbeat").length).toBe(count);
    expect(worker.of("/api/nodes/bootstrap/")).toHaveLength(1);
  });

  it("a used bootstrap URL (410) marks the node error and is never retried", async () => {
    const url = `${worker.origin}/api/nodes/bootstrap/${BOOT_TOKEN}`;
    await fetch(`${url}?format=json`); // someone used it already
    const a = start();
    const { serviceid } = await orderNode(cloudInit(url));
    await vi.waitFor(() => expect(a.state.nodes.get(serviceid)?.phase).toBe("error"), { timeout: 2_000 });
    expect(a.state.nodes.get(serviceid)?.error).toMatch(/410/);
    await new Promise((r) => setTimeout(r, 200));
    expect(worker.of("/api/nodes/bootstrap/")).toHaveLength(2);
    expect(worker.of("/api/nodes/ready")).toHaveLength(0);
    expect(mailuFake.state.apiTokens.has(NODE_MAILU_TOKEN)).toBe(false);
    expect(logs.join("\n")).toMatch(/bootstrap answered 410/);
  });

  it("retries ready until the Worker accepts it, then heartbeats", async () => {
    worker.status.ready = 503;
    const a = start();
    const { serviceid } = await orderNode(cloudInit(`${worker.origin}/api/nodes/bootstrap/${BOOT_TOKEN}`));
    await vi.waitFor(() => expect(worker.of("/api/nodes/ready").length).toBeGreaterThanOrEqual(2), { timeout: 2_000 });
    expect(a.state.nodes.get(serviceid)).toMatchObject({ phase: "bootstrapped", error: "ready answered 503; will retry" });
    expect(worker.of("/api/nodes/heartbeat")).toHaveLength(0);
    worker.status.ready = 204;
    await vi.waitFor(() => expect(a.state.nodes.get(serviceid)?.heartbeats).toBeGreaterThanOrEqual(1), { timeout: 2_000 });
    expect(a.state.nodes.get(serviceid)).toMatchObject({ phase: "ready", error: undefined });
    expect(worker.of("/api/nodes/bootstrap/")).toHaveLength(1);
  });

  it("ignores instances that are not active or carry no bootstrap URL; a failed heartbeat is logged, not thrown", async () => {
    const a = start();
    await fetch(hostwinds.url, {
      method: "POST",
      body: new URLSearchParams({ action: "add_instance", API: API_KEY, template: "t", rid: "1", location_id: "1" }),
    });
    await hw.getInstances();
    await hw.getInstances(); // active, no user_data
    await orderNode("#!/bin/sh\necho hello\n");
    // Still provisioning (no poll after add_instance): not bootstrapped yet.
    await fetch(hostwinds.url, {
      method: "POST",
      body: new URLSearchParams({
        action: "add_instance",
        API: API_KEY,
        template: "t",
        rid: "1",
        location_id: "1",
        user_data: cloudInit(`${worker.origin}/api/nodes/bootstrap/${BOOT_TOKEN}`),
      }),
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(a.state.nodes.size).toBe(0);
    expect(worker.hits).toHaveLength(0);

    worker.status.heartbeat = 500;
    await hw.getInstances(); // now it is active
    await vi.waitFor(() => expect(a.state.nodes.size).toBe(1), { timeout: 2_000 });
    await vi.waitFor(() => expect(worker.of("/api/nodes/heartbeat").length).toBeGreaterThanOrEqual(2), { timeout: 2_000 });
    const node = [...a.state.nodes.values()][0]!;
    expect(node).toMatchObject({ phase: "ready", heartbeats: 0, error: "heartbeat answered 500" });
    expect(logs.some((l) => l.includes("heartbeat answered 500"))).toBe(true);
  });

  it("close() stops scanning and heartbeating", async () => {
    const a = start();
    await orderNode(cloudInit(`${worker.origin}/api/nodes/bootstrap/${BOOT_TOKEN}`));
    await vi.waitFor(() => expect(worker.of("/api/nodes/heartbeat").length).toBeGreaterThanOrEqual(1), { timeout: 2_000 });
    await a.close();
    const count = worker.hits.length;
    await orderNode(cloudInit(`${worker.origin}/api/nodes/bootstrap/other-token`));
    await new Promise((r) => setTimeout(r, 200));
    expect(worker.hits.length).toBe(count);
  });
});

describe("bootstrapUrlFrom", () => {
  it("takes the first single-quoted http(s) bootstrap URL, from plain or base64 user_data", () => {
    const script = [
      "#!/bin/sh",
      "curl -fsSL 'https://cdn.example.test/tools.sh' -o /tmp/tools.sh",
      "curl -fsSL 'https://app.penguinmails.com/api/nodes/bootstrap/tok_1?sig=abc' | sh",
      "curl -fsSL 'https://app.penguinmails.com/api/nodes/bootstrap/tok_2' | sh",
    ].join("\n");
    expect(bootstrapUrlFrom(script)).toBe("https://app.penguinmails.com/api/nodes/bootstrap/tok_1?sig=abc");
    expect(bootstrapUrlFrom(Buffer.from(script).toString("base64"))).toBe("https://app.penguinmails.com/api/nodes/bootstrap/tok_1?sig=abc");
    expect(bootstrapUrlFrom("curl -fsSL https://app.penguinmails.com/api/nodes/bootstrap/tok | sh")).toBeNull(); // not quoted
    expect(bootstrapUrlFrom("curl 'ftp://x.test/api/nodes/bootstrap/t' | sh")).toBeNull();
    expect(bootstrapUrlFrom("")).toBeNull();
  });
});
