import { z } from "zod";
import type { FakeHostwindsInstance, FakeHostwindsState } from "./hostwinds-fake.ts";
import type { FakeMailuState } from "./mailu-fake.ts";

/**
 * The fake NODE AGENT: stands in, in dev and tests, for the software a real sending node runs after
 * its VPS boots. There is no VPS locally, so it watches the Hostwinds fake's instances instead:
 *
 * 1. An instance turns "active" whose `user_data` (the cloud-init script given to add_instance)
 *    has a line `curl -fsSL '<URL>' | sh` with a URL containing `/api/nodes/bootstrap/`.
 * 2. GET `<URL>?format=json` once (the URL is one-time: a non-2xx answer, e.g. 410, marks the node
 *    `error` and it is never retried; a network failure — Worker not up yet — is retried next scan).
 * 3. The MailU API token from the bootstrap is registered with the MailU fake (same process, direct
 *    state access: the fake stands in for every node's admin API).
 * 4. POST readyUrl (`Authorization: Bearer <agentToken>`), retried each scan until it is accepted.
 * 5. POST heartbeatUrl every `heartbeatMs`, until the instance disappears (terminated).
 *
 * Errors are logged and recorded on the node, never thrown out of the loop. `close()` stops every timer.
 */
export type FakeNodePhase = "bootstrapping" | "bootstrapped" | "ready" | "error" | "terminated";

export interface FakeNode {
  phase: FakeNodePhase;
  serviceid: number;
  ip: string;
  nodeId?: string;
  hostname?: string;
  /** Names of the files the bootstrap handed over (mailu.env, docker-compose.yml, …). */
  files?: string[];
  lastHeartbeatAt?: Date;
  /** Heartbeats the Worker accepted (2xx). */
  heartbeats: number;
  /** The last failure (bootstrap, ready or heartbeat), without tokens. */
  error?: string;
}

export interface FakeNodeAgentState {
  /** By Hostwinds serviceid. */
  nodes: Map<number, FakeNode>;
}

export interface FakeNodeAgentOptions {
  /** The Hostwinds fake (or anything carrying its state, e.g. startAllFakes().hostwinds). */
  hostwinds: { state: FakeHostwindsState };
  /** The MailU fake (its state: the agent adds each node's API token to `apiTokens`). */
  mailu: { state: FakeMailuState };
  /** How often the Hostwinds instances are scanned (default 2000 ms). */
  intervalMs?: number;
  /** Heartbeat period per node (default 30000 ms, as the real agent). */
  heartbeatMs?: number;
  log?: (msg: string) => void;
  /** For tests; default the global fetch. */
  fetcher?: typeof fetch;
}

export interface FakeNodeAgent {
  state: FakeNodeAgentState;
  /** Stops scanning and heartbeating, aborts requests in flight and waits for them to settle. */
  close(): Promise<void>;
}

/** What GET <bootstrap URL>?format=json answers. */
const Bootstrap = z.object({
  nodeId: z.string().min(1),
  hostname: z.string().min(1),
  mailuApiToken: z.string().min(4),
  agentToken: z.string().min(1),
  // Absolute, or relative to the bootstrap URL.
  readyUrl: z.string().min(1),
  heartbeatUrl: z.string().min(1),
  files: z.record(z.string(), z.string()),
});
type Bootstrap = z.infer<typeof Bootstrap>;

export const FAKE_AGENT_VERSION = "fake-agent/1";
const BOOTSTRAP_URL_RE = /'(https?:\/\/[^'\s]*\/api\/nodes\/bootstrap\/[^'\s]*)'/;

/** The bootstrap URL in a cloud-init script (plain, or base64 as some clients send user_data). */
export function bootstrapUrlFrom(userData: string): string | null {
  const plain = BOOTSTRAP_URL_RE.exec(userData);
  if (plain) return plain[1] ?? null;
  const compact = userData.replace(/\s+/g, "");
  if (compact.length >= 16 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    const decoded = BOOTSTRAP_URL_RE.exec(Buffer.from(compact, "base64").toString("utf8"));
    if (decoded) return decoded[1] ?? null;
  }
  return null;
}

export function startFakeNodeAgent(opts: FakeNodeAgentOptions): FakeNodeAgent {
  const intervalMs = opts.intervalMs ?? 2_000;
  const heartbeatMs = opts.heartbeatMs ?? 30_000;
  const log = opts.log ?? (() => {});
  const fetcher = opts.fetcher ?? fetch;
  const state: FakeNodeAgentState = { nodes: new Map() };
  const bootstraps = new Map<number, Bootstrap>();
  const heartbeatTimers = new Map<number, ReturnType<typeof setInterval>>();
  const inFlight = new Set<Promise<void>>();
  const abort = new AbortController();
  const busy = new Set<number>();
  let closed = false;

  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const fail = (node: FakeNode, phase: FakeNodePhase, message: string) => {
    node.phase = phase;
    node.error = message;
    log(`node ${node.serviceid} (${node.ip}): ${message}`);
  };
  const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));
  const post = (url: string, token: string, body: unknown) =>
    fetcher(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: abort.signal,
    });

  async function bootstrap(node: FakeNode, url: string): Promise<void> {
    const u = new URL(url);
    u.searchParams.set("format", "json");
    let res: Response;
    try {
      res = await fetcher(u, { headers: { accept: "application/json" }, signal: abort.signal });
    } catch (err) {
      // Nothing was consumed: the next scan tries again (the Worker may still be starting).
      if (!closed) log(`node ${node.serviceid} (${node.ip}): bootstrap unreachable, will retry: ${reason(err)}`);
      if (node.phase === "bootstrapping") state.nodes.delete(node.serviceid);
      return;
    }
    const text = await res.text().catch(() => "");
    if (node.phase !== "bootstrapping") return; // terminated meanwhile
    if (!res.ok) return fail(node, "error", `bootstrap answered ${res.status}; not retried (one-time URL)`);
    let parsed: Bootstrap;
    try {
      parsed = Bootstrap.parse(JSON.parse(text));
    } catch (err) {
      const detail = err instanceof z.ZodError ? err.issues.map((i) => i.path.join(".") || "(root)").join(", ") : "not JSON";
      return fail(node, "error", `bootstrap answer malformed (${detail}); not retried`);
    }
    try {
      parsed.readyUrl = new URL(parsed.readyUrl, u).toString();
      parsed.heartbeatUrl = new URL(parsed.heartbeatUrl, u).toString();
    } catch {
      return fail(node, "error", "bootstrap answer has an unusable readyUrl/heartbeatUrl; not retried");
    }
    bootstraps.set(node.serviceid, parsed);
    node.nodeId = parsed.nodeId;
    node.hostname = parsed.hostname;
    node.files = Object.keys(parsed.files);
    // The node writes mailu.env with this API_TOKEN and starts MailU: from now on the fake accepts it.
    opts.mailu.state.apiTokens.add(parsed.mailuApiToken);
    node.phase = "bootstrapped";
    log(`node ${node.serviceid} (${node.ip}): bootstrapped as ${parsed.nodeId} (${parsed.hostname})`);
    await ready(node);
  }

  async function ready(node: FakeNode): Promise<void> {
    const b = bootstraps.get(node.serviceid);
    if (!b) return;
    try {
      const res = await post(b.readyUrl, b.agentToken, { version: FAKE_AGENT_VERSION, mailuVersion: "2024.06", ips: [node.ip] });
      await res.text().catch(() => "");
      if (!res.ok) {
        node.error = `ready answered ${res.status}; will retry`;
        log(`node ${node.serviceid} (${node.ip}): ${node.error}`);
        return;
      }
    } catch (err) {
      if (!closed) {
        node.error = `ready failed, will retry: ${reason(err)}`;
        log(`node ${node.serviceid} (${node.ip}): ${node.error}`);
      }
      return;
    }
    if (closed || node.phase !== "bootstrapped") return;
    node.phase = "ready";
    node.error = undefined;
    log(`node ${node.serviceid} (${node.ip}): ready; heartbeating every ${heartbeatMs} ms`);
    const startedAt = Date.now();
    const timer = setInterval(() => {
      if (busy.has(node.serviceid)) return; // the previous heartbeat is still in flight
      busy.add(node.serviceid);
      const p = heartbeat(node, b, startedAt).finally(() => busy.delete(node.serviceid));
      track(p);
    }, heartbeatMs);
    timer.unref?.();
    heartbeatTimers.set(node.serviceid, timer);
  }

  async function heartbeat(node: FakeNode, b: Bootstrap, startedAt: number): Promise<void> {
    if (!opts.hostwinds.state.instances.has(node.serviceid)) return terminated(node);
    const body = {
      version: FAKE_AGENT_VERSION,
      load1: Math.round(Math.random() * 100) / 100,
      memUsedPct: Math.round(30 + Math.random() * 20),
      diskUsedPct: Math.round(12 + Math.random() * 6),
      queueDepth: 0,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) + 60,
    };
    try {
      const res = await post(b.heartbeatUrl, b.agentToken, body);
      await res.text().catch(() => "");
      if (res.ok) {
        node.heartbeats++;
        node.lastHeartbeatAt = new Date();
      } else {
        node.error = `heartbeat answered ${res.status}`;
        log(`node ${node.serviceid} (${node.ip}): ${node.error}`);
      }
    } catch (err) {
      if (!closed) {
        node.error = `heartbeat failed: ${reason(err)}`;
        log(`node ${node.serviceid} (${node.ip}): ${node.error}`);
      }
    }
  }

  function terminated(node: FakeNode): void {
    const timer = heartbeatTimers.get(node.serviceid);
    if (timer) clearInterval(timer);
    heartbeatTimers.delete(node.serviceid);
    bootstraps.delete(node.serviceid);
    if (node.phase !== "terminated") {
      node.phase = "terminated";
      log(`node ${node.serviceid} (${node.ip}): instance terminated; agent stopped`);
    }
  }

  function scan(): void {
    if (closed) return;
    try {
      const instances = opts.hostwinds.state.instances;
      // A node with a heartbeat on the wire is left to that heartbeat's next tick, which sees the
      // instance gone: "terminated" then means no heartbeat of it can still arrive.
      for (const node of state.nodes.values()) if (!instances.has(node.serviceid) && !busy.has(node.serviceid)) terminated(node);
      for (const i of instances.values()) visit(i);
    } catch (err) {
      log(`scan failed: ${reason(err)}`);
    }
  }

  function visit(i: FakeHostwindsInstance): void {
    if (busy.has(i.serviceid)) return;
    const known = state.nodes.get(i.serviceid);
    if (known?.phase === "bootstrapped") {
      busy.add(i.serviceid);
      track(ready(known).finally(() => busy.delete(i.serviceid)));
      return;
    }
    if (known || i.status !== "active" || !i.main_ip) return;
    const url = bootstrapUrlFrom(i.user_data ?? "");
    if (!url) return;
    const node: FakeNode = { phase: "bootstrapping", serviceid: i.serviceid, ip: i.main_ip, heartbeats: 0 };
    state.nodes.set(i.serviceid, node);
    busy.add(i.serviceid);
    log(`node ${i.serviceid} (${i.main_ip}): booted; fetching its bootstrap`);
    track(
      bootstrap(node, url)
        .catch((err: unknown) => fail(node, "error", `bootstrap failed: ${reason(err)}`))
        .finally(() => busy.delete(i.serviceid)),
    );
  }

  const scanTimer = setInterval(scan, intervalMs);
  scanTimer.unref?.();
  queueMicrotask(scan);

  return {
    state,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(scanTimer);
      for (const t of heartbeatTimers.values()) clearInterval(t);
      heartbeatTimers.clear();
      abort.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
