import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeHostwindsOptions, startFakeHostwinds } from "../../../scripts/fakes/hostwinds-fake.ts";
import { type Hostwinds, type HostwindsInstance, hostwindsHttp } from "../../../workers/integrations/hostwinds/client.ts";
import { expectNoSecrets, leakyFailingFetch, vendorError } from "./expect-vendor-error.ts";

// The real Hostwinds client against the Hostwinds fake: HTTP 200 for everything, errors in the body.
const API_KEY = "hw-api-key-0b1c2d3e4f";

let fake: Awaited<ReturnType<typeof startFakeHostwinds>>;
let hw: Hostwinds;

async function restart(opts: Partial<FakeHostwindsOptions> = {}) {
  await fake?.close();
  fake = await startFakeHostwinds({ apiKey: API_KEY, ...opts });
  hw = hostwindsHttp({ baseUrl: fake.url, apiKey: API_KEY });
}

beforeEach(() => restart());
afterEach(() => fake.close());

const order = { template: "ubuntu-22.04", rid: 1234, locationId: 2, srvrname: "pm-node-01" };

/** The provisioning loop a queue step runs: poll get_instances until our srvrname is ready. */
async function pollUntilReady(srvrname: string, maxPolls = 10): Promise<{ instance: HostwindsInstance; seen: string[] }> {
  const seen: string[] = [];
  for (let i = 0; i < maxPolls; i++) {
    const mine = (await hw.getInstances()).find((x) => x.srvrname === srvrname);
    seen.push(mine ? mine.status : "absent");
    if (mine?.ready) return { instance: mine, seen };
  }
  throw new Error(`not ready after ${maxPolls} polls: ${seen.join(",")}`);
}

describe("Hostwinds client: provisioning", () => {
  it("posts form-encoded actions with the key in the body", async () => {
    await hw.addInstance({ ...order, keys: ["ssh-ed25519 AAAA… ops"] });
    const call = fake.state.calls[0]!;
    expect(call.action).toBe("add_instance");
    expect(call.contentType).toBe("application/x-www-form-urlencoded");
    expect(call.params).toEqual({
      template: "ubuntu-22.04",
      rid: "1234",
      location_id: "2",
      srvrname: "pm-node-01",
      keys: ["ssh-ed25519 AAAA… ops"],
    });
  });

  it("add_instance is asynchronous: no serviceid, then the instance appears, provisions and turns active", async () => {
    const added = await hw.addInstance(order);
    expect(added).toEqual({ serviceid: null, message: "Server is being Created!" });
    const { instance, seen } = await pollUntilReady("pm-node-01");
    expect(seen).toEqual(["absent", "provisioning", "provisioning", "active"]);
    const stored = [...fake.state.instances.values()][0]!;
    expect(instance).toEqual({
      serviceid: stored.serviceid,
      srvrname: "pm-node-01",
      hostname: `hwsrv-${stored.serviceid}.hostwindsdns.com`,
      locationId: 2,
      status: "active",
      vmState: "active",
      taskState: null,
      mainIp: "203.0.113.10",
      ips: ["203.0.113.10"],
      ready: true,
    });
  });

  it("a provisioning instance has no IP and is not ready", async () => {
    await restart({ revealServiceId: true, appearAfterPolls: 0, provisionAfterPolls: 5 });
    const { serviceid } = await hw.addInstance(order);
    expect(serviceid).toBe([...fake.state.instances.keys()][0]);
    const i = await hw.getInstance(serviceid!);
    expect(i).toMatchObject({ status: "provisioning", vmState: "building", mainIp: null, ips: [], ready: false });
  });

  it("never returns the root password Hostwinds sends with the instance", async () => {
    await restart({ revealServiceId: true, appearAfterPolls: 0, provisionAfterPolls: 0 });
    const { serviceid } = await hw.addInstance(order);
    const stored = fake.state.instances.get(serviceid!)!;
    const raw = await fetch(fake.url, {
      method: "POST",
      body: new URLSearchParams({ action: "get_instance", API: API_KEY, serviceid: String(serviceid) }),
    });
    expect(JSON.stringify(await raw.json())).toContain(stored.password);
    const i = await hw.getInstance(serviceid!);
    expect(JSON.stringify(i)).not.toContain(stored.password);
    expect(Object.keys(i)).not.toContain("password");
  });

  it("sets rDNS on an active instance's IP, refuses it before and for foreign IPs", async () => {
    await restart({ revealServiceId: true, appearAfterPolls: 0, provisionAfterPolls: 1 });
    const { serviceid } = await hw.addInstance(order);
    const early = await vendorError(hw.setRdns({ serviceid: serviceid!, ip: "203.0.113.10", rdns: "mail.acme.test" }));
    expect(early).toMatchObject({ code: "invalid", status: 200, message: "hostwinds: set_rdns: Instance is not active yet." });
    const { instance } = await pollUntilReady("pm-node-01");
    await hw.setRdns({ serviceid: instance.serviceid, ip: instance.mainIp!, rdns: "mail.acme.test" });
    expect(fake.state.rdns.get(instance.mainIp!)).toBe("mail.acme.test");
    const foreign = await vendorError(hw.setRdns({ serviceid: instance.serviceid, ip: "198.51.100.1", rdns: "mail.acme.test" }));
    expect(foreign.message).toBe("hostwinds: set_rdns: The IP address does not belong to this service.");
    expect(foreign.retryable).toBe(false);
  });

  it("terminate removes the instance; afterwards its serviceid is not_found (still HTTP 200)", async () => {
    await hw.addInstance(order);
    const { instance } = await pollUntilReady("pm-node-01");
    await hw.terminate(instance.serviceid);
    expect(fake.state.instances.size).toBe(0);
    const err = await vendorError(hw.getInstance(instance.serviceid));
    expect(err).toMatchObject({
      vendor: "hostwinds",
      code: "not_found",
      status: 200,
      message: "hostwinds: get_instance: A valid serviceid is required.",
    });
    expect((await vendorError(hw.terminate(instance.serviceid))).code).toBe("not_found");
  });

  it("missing required parameters come back as an HTTP-200 error list", async () => {
    const err = await vendorError(hw.addInstance({ ...order, template: "" }));
    expect(err).toMatchObject({ code: "invalid", status: 200, message: "hostwinds: add_instance: A valid template is required." });
    expect(fake.state.instances.size).toBe(0);
  });
});

describe("Hostwinds client: auth and secrets", () => {
  it("a wrong key gets HTTP 200 {result:error, action:Authorization} → auth, key not in the message", async () => {
    const wrongKey = "hw-wrong-key-99887766";
    const raw = await fetch(fake.url, { method: "POST", body: new URLSearchParams({ action: "get_instances", API: wrongKey }) });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual({ result: "error", action: "Authorization", message: "Not Authorized!" });
    const err = await vendorError(hostwindsHttp({ baseUrl: fake.url, apiKey: wrongKey }).getInstances());
    expect(err).toMatchObject({ code: "auth", status: 200, message: "hostwinds: get_instances: Not Authorized!" });
    expectNoSecrets(err, [wrongKey]);
  });

  it("scrubs the key from network errors that quote the request body", async () => {
    const err = await vendorError(hostwindsHttp({ baseUrl: fake.url, apiKey: API_KEY }, leakyFailingFetch).addInstance(order));
    expect(err).toMatchObject({ code: "unavailable", status: null });
    expect(err.message).toContain("API=[redacted]");
    expectNoSecrets(err, [API_KEY]);
  });

  it("a relay answering non-JSON or 5xx is unavailable (retryable)", async () => {
    const html = (async () => new Response("<html>Bad gateway</html>", { status: 200 })) as typeof fetch;
    expect(await vendorError(hostwindsHttp({ baseUrl: fake.url, apiKey: API_KEY }, html).getInstances())).toMatchObject({
      code: "unavailable",
      message: "hostwinds: get_instances: response is not JSON",
    });
    const down = (async () => new Response("", { status: 502 })) as typeof fetch;
    const err = await vendorError(hostwindsHttp({ baseUrl: fake.url, apiKey: API_KEY }, down).getInstances());
    expect(err).toMatchObject({ code: "unavailable", status: 502 });
    expect(err.retryable).toBe(true);
  });
});

describe("Hostwinds fake: user_data and failure injection", () => {
  const raw = async (params: Record<string, string>) =>
    (await (await fetch(fake.url, { method: "POST", body: new URLSearchParams({ API: API_KEY, ...params }) })).json()) as unknown;

  it("stores the add_instance user_data on the instance and never echoes it", async () => {
    await restart({ revealServiceId: true, appearAfterPolls: 0, provisionAfterPolls: 0 });
    const script = "#!/bin/sh\nset -eu\ncurl -fsSL 'http://127.0.0.1:8787/api/nodes/bootstrap/tok_abc' | sh\n";
    const created = (await raw({ action: "add_instance", template: "ubuntu-22.04", rid: "1234", location_id: "2", user_data: script })) as {
      serviceid: number;
    }[];
    const serviceid = created[1]!.serviceid;
    expect(fake.state.instances.get(serviceid)?.user_data).toBe(script);
    const one = JSON.stringify(await raw({ action: "get_instance", serviceid: String(serviceid) }));
    const all = JSON.stringify(await raw({ action: "get_instances" }));
    for (const wire of [one, all]) {
      expect(wire).toContain(`"serviceid":${serviceid}`);
      expect(wire).not.toContain("user_data");
      expect(wire).not.toContain("bootstrap");
    }
    // Without user_data the field is empty, not absent.
    await hw.addInstance(order);
    expect([...fake.state.instances.values()].at(-1)?.user_data).toBe("");
  });

  it("failNext answers the HTTP-200 error list for that action, `times` times, and does nothing", async () => {
    fake.state.failNext.set("add_instance", { message: "Insufficient funds to complete the order.", times: 2 });
    for (let n = 0; n < 2; n++) {
      const err = await vendorError(hw.addInstance(order));
      expect(err).toMatchObject({
        code: "invalid",
        status: 200,
        message: "hostwinds: add_instance: Insufficient funds to complete the order.",
      });
    }
    expect(fake.state.instances.size).toBe(0);
    expect(fake.state.failNext.has("add_instance")).toBe(false);
    expect(await hw.addInstance(order)).toEqual({ serviceid: null, message: "Server is being Created!" });
    expect(fake.state.instances.size).toBe(1);
  });

  it("failNext uses Hostwinds' action label, leaves other actions alone and keeps the key check first", async () => {
    fake.state.failNext.set("get_instances", { message: "Please try again later.", times: 1 });
    expect(await raw({ action: "get_instance", serviceid: "1" })).toEqual([
      { result: "error", action: "Get Instance", message: "A valid serviceid is required." },
    ]);
    const badKey = await (
      await fetch(fake.url, { method: "POST", body: new URLSearchParams({ API: "wrong-key-123456", action: "get_instances" }) })
    ).json();
    expect(badKey).toEqual({ result: "error", action: "Authorization", message: "Not Authorized!" });
    expect(fake.state.failNext.get("get_instances")?.times).toBe(1);
    expect(await raw({ action: "get_instances" })).toEqual([
      { result: "error", action: "Get Instances", message: "Please try again later." },
    ]);
    // A retryable wording maps to unavailable in the client; the injection is used up.
    fake.state.failNext.set("get_instances", { message: "Please try again later.", times: 1 });
    const err = await vendorError(hw.getInstances());
    expect(err).toMatchObject({ code: "unavailable", status: 200 });
    expect(err.retryable).toBe(true);
    expect(await hw.getInstances()).toEqual([]);
  });
});
