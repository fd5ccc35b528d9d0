import { randomBytes, randomUUID } from "node:crypto";
import type http from "node:http";
import { type FakeServer, sendJson, sendText, serve } from "./http.ts";

/**
 * A faithful fake of the Hostwinds Cloud API (INTEGRATIONS.md §3.2): one endpoint
 * (`POST /cloud/api.php`), form-encoded (JSON also accepted) `action=…&API=<key>&…`, and every
 * answer HTTP 200 — errors too: `[{"result":"error","action":…,"message":…}]`, or for a bad key
 * `{"result":"error","action":"Authorization","message":"Not Authorized!"}`.
 *
 * Provisioning is asynchronous: add_instance answers "Server is being Created!" with no serviceid.
 * Every get_instance/get_instances call is one "poll" for every pending instance: it shows up in
 * get_instances after `appearAfterPolls` polls, in status "provisioning" without an IP, and turns
 * "active" with a main_ip `provisionAfterPolls` polls later.
 *
 * add_instance takes an optional `user_data` (the cloud-init script the VPS runs on first boot); the
 * fake keeps it on the instance — the fake node agent (node-agent.ts) reads it there — and, like
 * Hostwinds, never echoes it back in get_instance/get_instances.
 *
 * For tests, `state.failNext.set(action, { message, times })` makes the next `times` calls of that
 * action answer Hostwinds' HTTP-200 error list `[{"result":"error","action":…,"message":…}]`
 * without doing anything (after the key check, as the real API does).
 */
export interface FakeHostwindsInstance {
  serviceid: number;
  srvrname: string;
  hostname: string;
  location_id: number;
  product_id: number;
  template: string;
  /** Root password: Hostwinds returns it with the instance; clients must drop it. */
  password: string;
  main_ip: string;
  ips: string[];
  status: string;
  disp_status: string;
  vm_state: string;
  task_state: string | null;
  power_state: number;
  created_at: string;
  /** The cloud-init script given to add_instance ("" when none). Hostwinds does not echo it. */
  user_data: string;
  /** Polls seen since creation. */
  polls: number;
}

export interface FakeHostwindsState {
  instances: Map<number, FakeHostwindsInstance>;
  /** rDNS by IP, as set_rdns left it. */
  rdns: Map<string, string>;
  /** Every call: the action, how the body was encoded and its parameters (the API key omitted). */
  calls: { action: string; contentType: string; params: Record<string, string | string[]> }[];
  /** Failure injection: the next `times` calls of an action (e.g. "add_instance") answer an error with `message`. */
  failNext: Map<string, { message: string; times: number }>;
}

export interface FakeHostwindsOptions {
  port?: number;
  apiKey: string;
  appearAfterPolls?: number;
  provisionAfterPolls?: number;
  /** Include `serviceid` in the add_instance answer (the docs show none; some accounts may). */
  revealServiceId?: boolean;
  /** First address handed out (incremented per instance). */
  firstIp?: string;
}

/** The `action` label Hostwinds puts in its answers. */
const LABELS: Record<string, string> = {
  add_instance: "Add Instance",
  get_instance: "Get Instance",
  get_instances: "Get Instances",
  set_rdns: "Set rDNS",
  terminate: "Terminate",
  check_serviceid: "Check Service ID",
};

const HOSTNAME_RE = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export async function startFakeHostwinds(opts: FakeHostwindsOptions): Promise<FakeServer<FakeHostwindsState>> {
  const appearAfter = opts.appearAfterPolls ?? 1;
  const activeAfter = appearAfter + (opts.provisionAfterPolls ?? 2);
  const state: FakeHostwindsState = { instances: new Map(), rdns: new Map(), calls: [], failNext: new Map() };
  let nextServiceId = 100_001;
  let nextInvoice = 5_000_001;
  const [a, b, c, d] = (opts.firstIp ?? "203.0.113.10").split(".").map(Number) as [number, number, number, number];
  let ipCounter = 0;
  const nextIp = () => {
    const n = d + ipCounter++;
    return `${a}.${b}.${c + Math.floor(n / 256)}.${n % 256}`;
  };

  const visible = (i: FakeHostwindsInstance) => i.polls >= appearAfter;

  function poll(): void {
    for (const i of state.instances.values()) {
      if (i.status === "active") continue;
      if (i.polls >= activeAfter) {
        i.status = "active";
        i.disp_status = "Active";
        i.vm_state = "active";
        i.task_state = null;
        i.power_state = 1;
        i.main_ip = nextIp();
        i.ips = [i.main_ip];
      }
    }
  }

  const wire = (i: FakeHostwindsInstance) => {
    const { polls: _polls, user_data: _userData, template, ...rest } = i;
    return {
      ...rest,
      userid: 4242,
      server_uuid: `uuid-${i.serviceid}`,
      template_uuid: template,
      ip_v6: "",
      private_ip: "",
      image: { name: template },
      flavor: { name: "fake" },
      ram: 2048,
      cpu: 1,
      disk: 50,
    };
  };

  const err = (action: string, message: string, code?: string) => [{ result: "error", action, message, ...(code ? { ERROR: code } : {}) }];
  const ok = (action: string, message: string) => [{ result: "success", action, message }];

  function act(action: string, p: Record<string, string | string[]>): unknown {
    const injected = state.failNext.get(action);
    if (injected && injected.times > 0) {
      injected.times--;
      if (injected.times <= 0) state.failNext.delete(action);
      return err(LABELS[action] ?? action, injected.message);
    }
    const str = (k: string) => (typeof p[k] === "string" ? (p[k] as string) : "");
    const instance = (label: string) => {
      const id = Number(str("serviceid"));
      const i = Number.isInteger(id) ? state.instances.get(id) : undefined;
      return i && visible(i) ? i : err(label, "A valid serviceid is required.");
    };
    switch (action) {
      case "add_instance": {
        for (const k of ["template", "rid", "location_id"]) if (!str(k)) return err("Add Instance", `A valid ${k} is required.`);
        const qty = Math.max(1, Math.min(10, Number(str("qty") || 1)));
        const ids: number[] = [];
        for (let n = 0; n < qty; n++) {
          const serviceid = nextServiceId++;
          ids.push(serviceid);
          state.instances.set(serviceid, {
            serviceid,
            srvrname: str("srvrname") || `Server#${serviceid}`,
            hostname: `hwsrv-${serviceid}.hostwindsdns.com`,
            location_id: Number(str("location_id")),
            product_id: Number(str("rid")),
            template: str("template"),
            password: randomBytes(12).toString("base64url"),
            main_ip: "",
            ips: [],
            status: "provisioning",
            disp_status: "Provisioning",
            vm_state: "building",
            task_state: "spawning",
            power_state: 0,
            created_at: new Date().toISOString().replace("T", " ").slice(0, 19),
            user_data: str("user_data"),
            polls: 0,
          });
        }
        const created: Record<string, unknown> = { result: "success", action: "Add Instance", message: "Server is being Created!" };
        if (opts.revealServiceId) created.serviceid = ids[0];
        return [{ result: "success", action: "Invoice Paid", message: `Invoice #${nextInvoice++} has been paid.` }, created];
      }
      case "get_instances": {
        const list = [...state.instances.values()].filter(visible).map(wire);
        for (const i of state.instances.values()) i.polls++;
        poll();
        return { success: list };
      }
      case "get_instance": {
        const i = instance("Get Instance");
        for (const x of state.instances.values()) x.polls++;
        if (Array.isArray(i)) {
          poll();
          return i;
        }
        const out = { success: wire(i) };
        poll();
        return out;
      }
      case "set_rdns": {
        const i = instance("Set rDNS");
        if (Array.isArray(i)) return i;
        if (i.status !== "active") return err("Set rDNS", "Instance is not active yet.");
        if (!i.ips.includes(str("ip"))) return err("Set rDNS", "The IP address does not belong to this service.");
        if (!HOSTNAME_RE.test(str("rdns"))) return err("Set rDNS", "A valid rdns is required.");
        state.rdns.set(str("ip"), str("rdns").toLowerCase());
        return ok("Set rDNS", "rDNS record updated.");
      }
      case "terminate": {
        const i = instance("Terminate");
        if (Array.isArray(i)) return i;
        state.instances.delete(i.serviceid);
        for (const ip of i.ips) state.rdns.delete(ip);
        return [{ result: "success", message: "Instance deleted" }];
      }
      case "check_serviceid": {
        const i = instance("Check Service ID");
        return Array.isArray(i) ? i : { success: true };
      }
      default:
        return err(action || "Unknown", "Invalid action.", randomUUID().slice(0, 7));
    }
  }

  function params(req: http.IncomingMessage, body: string): Record<string, string | string[]> {
    const type = String(req.headers["content-type"] ?? "");
    const out: Record<string, string | string[]> = {};
    if (type.includes("application/json")) {
      try {
        for (const [k, v] of Object.entries(JSON.parse(body) as Record<string, unknown>))
          out[k] = Array.isArray(v) ? v.map(String) : String(v);
      } catch {
        /* an unparsable body carries no key: answered as unauthorised below */
      }
      return out;
    }
    for (const [k, v] of new URLSearchParams(body)) {
      if (k.endsWith("[]")) out[k.slice(0, -2)] = [...((out[k.slice(0, -2)] as string[] | undefined) ?? []), v];
      else out[k] = v;
    }
    return out;
  }

  const { origin, close } = await serve(opts.port ?? 0, (req, res, body) => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (url.pathname !== "/cloud/api.php") return sendText(res, 404, "<h1>404 Not Found</h1>", "text/html");
    const p = req.method === "POST" ? params(req, body) : Object.fromEntries(url.searchParams);
    const { API: key, action = "", ...rest } = p;
    state.calls.push({ action: String(action), contentType: String(req.headers["content-type"] ?? ""), params: rest });
    if (key !== opts.apiKey) return sendJson(res, 200, { result: "error", action: "Authorization", message: "Not Authorized!" });
    sendJson(res, 200, act(String(action), rest));
  });
  return { url: `${origin}/cloud/api.php`, state, close };
}
