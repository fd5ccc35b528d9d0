import { codeForStatus, parseRetryAfter, scrubSecrets, VendorError, type VendorErrorCode } from "../errors.ts";
import { type Fetcher, parseBody, send } from "../http.ts";
import {
  GetInstanceResponse,
  GetInstancesResponse,
  HostwindsActionResponse,
  type HostwindsInstanceWire,
  type HostwindsResult,
} from "./schemas.ts";

/**
 * Hostwinds Cloud API: one endpoint, form-encoded `action=<name>&API=<key>&…`, every answer HTTP 200
 * (errors included). `baseUrl` is the full endpoint, e.g. https://clients.hostwinds.com/cloud/api.php,
 * or the fixed-egress relay in front of it (the API key is IPv4 allow-listed).
 */
export interface HostwindsInstance {
  serviceid: number;
  srvrname: string | null;
  hostname: string | null;
  locationId: number | null;
  status: string;
  vmState: string | null;
  taskState: string | null;
  mainIp: string | null;
  ips: string[];
  /** Has an IP and is active: rDNS can be set and the node installed. */
  ready: boolean;
}

export interface AddInstanceInput {
  /** Image (template uuid / base_image_ref). */
  template: string;
  /** Product / plan id. */
  rid: number | string;
  locationId: number | string;
  /** Our label for the server; unique per node so a poll of getInstances can find it. */
  srvrname: string;
  billingcycle?: string;
  keys?: string[];
  /**
   * First-boot script (cloud-init user data) — how the node learns its one-time bootstrap URL.
   * Not in INTEGRATIONS.md's parameter list: confirm against a live account before relying on it
   * (workers/infra/README.md "Bootstrap delivery" has the fallback).
   */
  userData?: string;
}

export interface AddInstanceResult {
  /** Present only when Hostwinds includes it; otherwise poll getInstances() for `srvrname`. */
  serviceid: number | null;
  message: string;
}

export interface Hostwinds {
  /** Asynchronous: "Server is being Created!" — the instance turns ready after some minutes. */
  addInstance(input: AddInstanceInput): Promise<AddInstanceResult>;
  getInstance(serviceid: number): Promise<HostwindsInstance>;
  getInstances(): Promise<HostwindsInstance[]>;
  /** Reverse DNS for one of the instance's IPs (should equal the HELO name, mail.<domain>). */
  setRdns(input: { serviceid: number; ip: string; rdns: string }): Promise<void>;
  terminate(serviceid: number): Promise<void>;
}

function codeForMessage(r: HostwindsResult): VendorErrorCode {
  const text = `${r.action ?? ""} ${r.message ?? ""}`;
  if (r.action === "Authorization" || /not authori[sz]ed/i.test(text)) return "auth";
  // "A valid serviceid is required." is what an unknown or foreign serviceid gets (we always send one).
  if (/service\s?id|not found|does not exist|no such/i.test(text)) return "not_found";
  if (/try again|temporar|timed? ?out|maintenance/i.test(text)) return "unavailable";
  return "invalid";
}

export function normalizeInstance(w: HostwindsInstanceWire): HostwindsInstance {
  const mainIp = w.main_ip?.trim() ? w.main_ip.trim() : null;
  const ips = (Array.isArray(w.ips) ? w.ips : (w.ips ?? "").split(/[\s,]+/)).map((s) => s.trim()).filter(Boolean);
  if (mainIp && !ips.includes(mainIp)) ips.unshift(mainIp);
  const status = (w.status ?? "unknown").toLowerCase();
  const vmState = w.vm_state?.toLowerCase() ?? null;
  return {
    serviceid: w.serviceid,
    srvrname: w.srvrname ?? null,
    hostname: w.hostname ?? null,
    locationId: w.location_id ?? null,
    status,
    vmState,
    taskState: w.task_state ?? null,
    mainIp,
    ips,
    ready: mainIp !== null && status === "active" && (vmState === null || vmState === "active"),
  };
}

export function hostwindsHttp(cfg: { baseUrl: string; apiKey: string }, fetcher: Fetcher = fetch): Hostwinds {
  const secrets = [cfg.apiKey];

  async function call(action: string, params: Record<string, string | number | string[] | undefined> = {}): Promise<unknown> {
    const form = new URLSearchParams({ action, API: cfg.apiKey });
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) form.append(`${k}[]`, item);
      else form.set(k, String(v));
    }
    const res = await send(
      "hostwinds",
      fetcher,
      cfg.baseUrl,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: form.toString(),
      },
      secrets,
    );
    if (res.status !== 200) {
      const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
      throw new VendorError(
        "hostwinds",
        codeForStatus(res.status),
        res.status,
        scrubSecrets(`${action}: HTTP ${res.status}`, secrets),
        retryAfter === undefined ? {} : { retryAfter },
      );
    }
    if (res.json === undefined) throw new VendorError("hostwinds", "unavailable", 200, `${action}: response is not JSON`);
    // HTTP 200 can still be an error: [{"result":"error",…}] or {"result":"error","action":"Authorization",…}.
    const results = HostwindsActionResponse.safeParse(res.json);
    const failed = results.success ? results.data.find((r) => r.result.toLowerCase() === "error") : undefined;
    if (failed) {
      const message = scrubSecrets(`${action}: ${failed.message ?? "error"}${failed.ERROR ? ` (ERROR ${failed.ERROR})` : ""}`, secrets);
      throw new VendorError("hostwinds", codeForMessage(failed), 200, message);
    }
    return res.json;
  }

  return {
    async addInstance(input) {
      const json = await call("add_instance", {
        template: input.template,
        rid: input.rid,
        location_id: input.locationId,
        srvrname: input.srvrname,
        billingcycle: input.billingcycle,
        keys: input.keys,
        user_data: input.userData,
      });
      const results = parseBody("hostwinds", HostwindsActionResponse, json, "add_instance", 200);
      const created = results.find((r) => r.action === "Add Instance") ?? results.at(-1);
      const serviceid = results.find((r) => r.serviceid)?.serviceid ?? null;
      return { serviceid, message: created?.message ?? "" };
    },
    async getInstance(serviceid) {
      const json = await call("get_instance", { serviceid });
      return normalizeInstance(parseBody("hostwinds", GetInstanceResponse, json, "get_instance", 200));
    },
    async getInstances() {
      const json = await call("get_instances");
      return parseBody("hostwinds", GetInstancesResponse, json, "get_instances", 200).map(normalizeInstance);
    },
    async setRdns({ serviceid, ip, rdns }) {
      await call("set_rdns", { serviceid, ip, rdns });
    },
    async terminate(serviceid) {
      await call("terminate", { serviceid });
    },
  };
}
