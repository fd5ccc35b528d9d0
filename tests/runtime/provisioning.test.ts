import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { stepCreateVps } from "../../workers/infra/provisioning.ts";
import { runInTx } from "../../workers/platform/db.ts";
import { type Caller, call, seed, signInAs } from "../support/api.ts";
import { until } from "../support/engine.ts";
import { CF_TOKEN, CF_ZONE, hostwindsClient, mailu, nodeRow, playNode, rand, withScope } from "../support/infra.ts";
import { latestMail } from "../support/outbox.ts";
import type { SeededTenant } from "../support/seed.ts";

// The provisioning Workflow in workerd (introspection: sleeps and retry delays disabled) against the
// Hostwinds, MailU and Cloudflare fakes. The test plays the node: it fetches the one-time bootstrap
// bundle and calls back ready through the real endpoints.
let t: SeededTenant;
let s: Caller;
beforeAll(async () => {
  t = await seed("Prov");
  s = await signInAs(t);
});

type Run = {
  id: string;
  status: string;
  nodeId: string;
  domainId: string | null;
  steps: { key: string; status: string; attempts: number; detail?: string }[];
  log: { message: string }[];
  error: string | null;
};
const getRun = async (id: string): Promise<Run> => (await call("GET", `/api/v1/provisioning-runs/${id}`, s)).json;
const step = (r: Run, key: string) => r.steps.find((x) => x.key === key)!;

async function start(extra: Record<string, unknown> = {}) {
  const domain = `p${rand()}.cfzone.test`;
  const res = await call("POST", "/api/v1/provisioning-runs", {
    ...s,
    body: {
      workspaceId: t.workspaceId,
      domain,
      size: "small",
      mailboxes: [{ localPart: "ann", fromName: "Ann" }],
      cloudflare: { zoneId: CF_ZONE, apiToken: CF_TOKEN },
      ...extra,
    },
  });
  expect(res.status, res.text).toBe(202);
  return { domain, run: res.json as Run };
}

/** Waits until the run waits for the node, then plays the node's bootstrap and ready call. */
async function bootWhenAsked(run: Run) {
  await until(
    () => getRun(run.id),
    (r) => step(r, "bootstrap").status === "running" || r.status !== "running",
  );
  const r = await getRun(run.id);
  if (r.status === "running") await playNode(t.tenantId, run.nodeId);
}

const instancesNamed = async (srvrname: string) => (await hostwindsClient().getInstances()).filter((i) => i.srvrname === srvrname);

describe("provisioning workflow", () => {
  it("happy path: VPS, IP, rDNS, bootstrap, MailU domain + DKIM, DNS through Cloudflare, verified, mailboxes", async () => {
    await using wf = await introspectWorkflow(env.PROVISION);
    await wf.modifyAll(async (m) => {
      await m.disableSleeps();
      await m.disableRetryDelays();
    });
    const { domain, run } = await start();
    expect(run.steps.map((x) => x.key)).toEqual([
      "create_vps",
      "wait_ip",
      "set_rdns",
      "bootstrap",
      "create_domain",
      "publish_dns",
      "verify_dns",
      "create_mailboxes",
    ]);
    await bootWhenAsked(run);
    const [instance] = await wf.get();
    await instance!.waitForStatus("complete");
    expect(await instance!.getOutput()).toEqual({ status: "succeeded" });

    const done = await getRun(run.id);
    expect(done.status).toBe("succeeded");
    expect(done.steps.every((x) => x.status === "done")).toBe(true);
    expect(step(done, "wait_ip").attempts).toBeGreaterThan(1); // polled until Hostwinds assigned the IP
    const node = await nodeRow(t.tenantId, run.nodeId);
    expect(node).toMatchObject({ status: "active", hostname: `mail.${domain}` });
    expect(node.mainIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const [vps] = await instancesNamed(node.srvrname);
    expect(vps?.serviceid).toBe(node.providerServiceId);

    const d = await call("GET", `/api/v1/domains/${done.domainId}`, s);
    expect(d.json).toMatchObject({ name: domain, status: "verified", dnsProvider: "cloudflare" });
    expect((await mailu(/* the node's own token */ await bootToken(run.nodeId)).getUser(`ann@${domain}`)).forwardEnabled).toBe(true);
    const boxes = await call("GET", `/api/v1/mailboxes?workspaceId=${t.workspaceId}`, s);
    expect(boxes.json.items.map((b: { email: string }) => b.email)).toContain(`ann@${domain}`);
    // Nothing secret in what the API shows about the run and node.
    const shown = JSON.stringify([done, (await call("GET", `/api/v1/nodes/${run.nodeId}`, s)).json, d.json]);
    expect(shown).not.toContain(CF_TOKEN);
    expect(shown).not.toContain(await bootToken(run.nodeId));
  });

  const failing = ["create_vps", "wait_ip", "set_rdns", "bootstrap_done", "create_domain", "publish_dns", "verify_dns", "create_mailboxes"];
  for (const failAt of failing) {
    it(`a failure at ${failAt} rolls back everything created so far`, async () => {
      await using wf = await introspectWorkflow(env.PROVISION);
      await wf.modifyAll(async (m) => {
        await m.disableSleeps();
        await m.disableRetryDelays();
        await m.mockStepError({ name: failAt }, new Error(`injected failure at ${failAt}`));
      });
      const { domain, run } = await start();
      if (failing.indexOf(failAt) >= 3) await bootWhenAsked(run);
      const [instance] = await wf.get();
      await instance!.waitForStatus("complete");
      const out = (await instance!.getOutput()) as { status: string; undone: string[]; problems: string[] };
      expect(out.status).toBe("failed");
      expect(out.problems).toEqual([]);

      const r = await getRun(run.id);
      expect(r.status).toBe("failed");
      expect(r.error).toContain(`injected failure at ${failAt}`);
      expect(r.log.map((l) => l.message).join("\n")).toContain("Rolled back");
      expect((await latestMail(t.email, "infra_alert")).mail.subject).toBe(`Provisioning ${domain} failed`);
      const node = await nodeRow(t.tenantId, run.nodeId);
      expect(node.status).toBe("failed");
      expect(node.mailuTokenEnc).toBeNull();
      // No VPS left running, no domain row, no mailbox, no DNS record we wrote.
      expect(await instancesNamed(node.srvrname)).toEqual([]);
      expect(
        (await call("GET", `/api/v1/domains?workspaceId=${t.workspaceId}`, s)).json.items.map((x: { name: string }) => x.name),
      ).not.toContain(domain);
      const boxes = await call("GET", `/api/v1/mailboxes?workspaceId=${t.workspaceId}`, s);
      expect(boxes.json.items.map((b: { email: string }) => b.email)).not.toContain(`ann@${domain}`);
      const cfEnv = env as unknown as Record<string, string>;
      const zone = (await import("../../workers/integrations/cloudflare-dns/client.ts")).cloudflareDns(
        { token: CF_TOKEN },
        fetch,
        cfEnv.CLOUDFLARE_API_URL,
      );
      const left = (await zone.listRecords(CF_ZONE)).filter((x) => x.name === domain || x.name.endsWith(`.${domain}`));
      expect(left).toEqual([]);
    });
  }

  it("retries a transient vendor error and then succeeds", async () => {
    await using wf = await introspectWorkflow(env.PROVISION);
    await wf.modifyAll(async (m) => {
      await m.disableSleeps();
      await m.disableRetryDelays();
      await m.mockStepError({ name: "set_rdns" }, new Error("hostwinds: set_rdns: Please try again later"), 2);
    });
    const { run } = await start({ mailboxes: [] });
    await bootWhenAsked(run);
    const [instance] = await wf.get();
    await instance!.waitForStatus("complete");
    expect(await instance!.getOutput()).toEqual({ status: "succeeded" });
    const r = await getRun(run.id);
    expect(step(r, "create_mailboxes").status).toBe("skipped");
  });

  it("a duplicate trigger returns the live run and orders no second VPS", async () => {
    await using wf = await introspectWorkflow(env.PROVISION);
    await wf.modifyAll(async (m) => {
      await m.disableSleeps();
      await m.disableRetryDelays();
    });
    const { domain, run } = await start();
    const dup = await call("POST", "/api/v1/provisioning-runs", { ...s, body: { workspaceId: t.workspaceId, domain, size: "large" } });
    expect(dup.status).toBe(202);
    expect(dup.json.id).toBe(run.id);
    await bootWhenAsked(run);
    const instances = await wf.get();
    expect(instances).toHaveLength(1);
    await instances[0]!.waitForStatus("complete");
    const node = await nodeRow(t.tenantId, run.nodeId);
    expect(await instancesNamed(node.srvrname)).toHaveLength(1);

    // Re-running the VPS step (a replay, or an attempt whose answer was lost) never orders again.
    await withScope(t.tenantId, (sc) => stepCreateVps(sc, run.id));
    await withScope(t.tenantId, (sc) =>
      runInTx(sc.db, { tenantId: t.tenantId }, (tx) =>
        tx.execute(`update infra_nodes set provider_service_id = null where id = '${run.nodeId}'` as never),
      ),
    );
    expect(await withScope(t.tenantId, (sc) => stepCreateVps(sc, run.id))).toMatch(/earlier order/);
    expect(await instancesNamed(node.srvrname)).toHaveLength(1);
  });

  it("refuses a bad domain with 400, creating nothing", async () => {
    const before = (await call("GET", "/api/v1/provisioning-runs", s)).json.items.length;
    const bad = await call("POST", "/api/v1/provisioning-runs", { ...s, body: { workspaceId: t.workspaceId, domain: "not a domain" } });
    expect(bad.status).toBe(400);
    const runs = await call("GET", "/api/v1/provisioning-runs", s);
    expect(runs.json.items.some((r: Run) => r.error?.includes("not a domain"))).toBe(false);
    expect(runs.json.items.length).toBe(before);
  });

  it("refuses to start when no Hostwinds key is configured, creating nothing", async () => {
    const before = (await call("GET", "/api/v1/provisioning-runs", s)).json.items.length;
    const { startProvisioning } = await import("../../workers/infra/provisioning.ts");
    const err = await withScope(t.tenantId, (sc) => {
      sc.config = { ...sc.config, HOSTWINDS_API_KEY: undefined };
      return startProvisioning(sc, { workspaceId: t.workspaceId, domain: `k${rand()}.cfzone.test` }, env.PROVISION).catch((e) => e);
    });
    expect(err).toMatchObject({ code: "UNAVAILABLE" });
    expect(err.message).toMatch(/HOSTWINDS_API_KEY/);
    expect((await call("GET", "/api/v1/provisioning-runs", s)).json.items.length).toBe(before);
  });
});

/** The MailU API token the node was given (decrypted from the node row), for reading the fake as that node. */
async function bootToken(nodeId: string): Promise<string> {
  const node = await nodeRow(t.tenantId, nodeId);
  const { decryptSecret } = await import("../../workers/platform/secrets.ts");
  const { masterKeys } = await import("../../workers/platform/context.ts");
  return withScope(t.tenantId, async (sc) => decryptSecret(await masterKeys(sc), node.mailuTokenEnc!));
}
