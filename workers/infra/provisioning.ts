import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { isUniqueViolation } from "../auth/sign-up.ts";
import { isVendorError } from "../integrations/errors.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import { type Ctx, masterKeys, withTx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { encryptSecret } from "../platform/secrets.ts";
import { requireWorkspaceRole } from "../tenants/access.ts";
import { BOOTSTRAP_TTL_MS, randomNonce, signBootstrap } from "./agent-auth.ts";
import { alertAdmins } from "./alerts.ts";
import { applyDnsRecords, releaseDnsRecords } from "./apply-dns.ts";
import { hostwinds, type NodeSize, planId, SIZE_CAPACITY } from "./clients.ts";
import { assertDomainQuota, dmarcRua, ensureOnNode, normalizeDomainName } from "./domains.ts";
import { createHostedMailboxes, HostedMailboxSpec } from "./hosted-mailboxes.ts";
import { infraNodes, provisioningRuns, type RunLog, type RunStep, sendingDomains } from "./tables.ts";
import { checkDomain } from "./verify.ts";

type Run = typeof provisioningRuns.$inferSelect;
type Node = typeof infraNodes.$inferSelect;

export const STEPS = [
  { key: "create_vps", label: "Create the VPS" },
  { key: "wait_ip", label: "Wait for its IP address" },
  { key: "set_rdns", label: "Set reverse DNS" },
  { key: "bootstrap", label: "Install MailU on the node" },
  { key: "create_domain", label: "Create the domain and its DKIM key" },
  { key: "publish_dns", label: "Publish DNS records" },
  { key: "verify_dns", label: "Check DNS" },
  { key: "create_mailboxes", label: "Create mailboxes" },
] as const;
export type StepKey = (typeof STEPS)[number]["key"];

export const StartProvisioningInput = z.object({
  workspaceId: z.string().min(1).max(64),
  domain: z.string().min(3).max(253),
  size: z.enum(["small", "medium", "large"]).default("small"),
  /** Dedicate the node to this workspace (agencies), or share it across the tenant's workspaces. */
  dedicated: z.boolean().default(false),
  mailboxes: z.array(HostedMailboxSpec).max(10).default([]),
  cloudflare: z
    .object({ zoneId: z.string().regex(/^[a-f0-9]{32}$/i, "a 32-character zone id"), apiToken: z.string().min(20).max(200) })
    .optional(),
});
export type StartProvisioningInput = z.input<typeof StartProvisioningInput>;

export const toRunDto = (r: Run) => ({
  id: r.id,
  workspaceId: r.workspaceId,
  nodeId: r.nodeId,
  domainId: r.domainId,
  domainName: r.domainName,
  status: r.status,
  size: r.params.size,
  mailboxes: r.params.mailboxes.map((m) => m.localPart),
  applyDns: r.params.applyDns,
  steps: r.steps,
  log: r.log.slice(-100),
  error: r.error,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});
export type RunDto = ReturnType<typeof toRunDto>;

/** What a Workflow binding offers that we use (a port, so verbs don't need the whole Env). */
export interface ProvisionPort {
  create(opts: { id: string; params: { tenantId: string; runId: string } }): Promise<unknown>;
}

export const bootstrapUrl = async (ctx: Ctx, node: Pick<Node, "id" | "tenantId" | "bootstrapNonce">, now = Date.now()) =>
  `${ctx.config.APP_URL.replace(/\/$/, "")}/api/nodes/bootstrap/${await signBootstrap(ctx.config.AUTH_SECRET, {
    tenantId: node.tenantId,
    nodeId: node.id,
    nonce: node.bootstrapNonce ?? "used",
    expiresAt: now + BOOTSTRAP_TTL_MS,
  })}`;

/**
 * Starts provisioning a node for a new sending domain: node, domain and run rows in one
 * transaction, then the Workflow (instance id = run id). A second click while a run for the same
 * domain is live returns that run instead of starting another.
 */
export async function startProvisioning(ctx: Ctx, raw: StartProvisioningInput, workflow: ProvisionPort): Promise<RunDto> {
  requirePermission(ctx, "infra:write");
  const input = StartProvisioningInput.parse(raw);
  const domain = normalizeDomainName(input.domain);
  hostwinds(ctx); // refuses early when provisioning is not configured
  const mk = await masterKeys(ctx);
  const mailuToken = await encryptSecret(mk, randomNonce() + randomNonce());
  const cfToken = input.cloudflare ? await encryptSecret(mk, input.cloudflare.apiToken) : null;
  const tenantId = ctx.tenant!.id;
  let run: Run;
  let existing = false;
  try {
    run = await withTx(ctx, async (tx) => {
      await requireWorkspaceRole(tx, ctx, input.workspaceId, "admin");
      const [live] = await tx
        .select()
        .from(provisioningRuns)
        .where(and(eq(provisioningRuns.domainName, domain), eq(provisioningRuns.status, "running")));
      if (live) {
        existing = true;
        return live;
      }
      await assertDomainQuota(tx, tenantId);
      const nodeId = newId("nod");
      const hostname = `mail.${domain}`;
      await tx.insert(infraNodes).values({
        id: nodeId,
        tenantId,
        workspaceId: input.dedicated ? input.workspaceId : null,
        name: hostname,
        hostname,
        srvrname: `pm-${nodeId.slice(4).toLowerCase()}`,
        dailyCapacity: SIZE_CAPACITY[input.size],
        mailuTokenEnc: mailuToken,
        bootstrapNonce: randomNonce(),
      });
      const domainId = newId("dom");
      await tx.insert(sendingDomains).values({
        id: domainId,
        tenantId,
        workspaceId: input.workspaceId,
        name: domain,
        nodeId,
        dmarcRua: dmarcRua(ctx),
        dnsProvider: input.cloudflare ? "cloudflare" : "manual",
        cloudflareZoneId: input.cloudflare?.zoneId ?? null,
        cloudflareTokenEnc: cfToken,
      });
      const steps: RunStep[] = STEPS.map((s) => ({ key: s.key, label: s.label, status: "pending", attempts: 0 }));
      const [r] = await tx
        .insert(provisioningRuns)
        .values({
          id: newId("run"),
          tenantId,
          workspaceId: input.workspaceId,
          nodeId,
          domainId,
          domainName: domain,
          params: { size: input.size, mailboxes: input.mailboxes, applyDns: Boolean(input.cloudflare) },
          steps,
          log: [{ at: new Date().toISOString(), level: "info", message: `Provisioning ${hostname} (${input.size}) started.` }],
          createdBy: ctx.actor?.userId ?? null,
        })
        .returning();
      await writeAudit(tx, ctx, {
        action: "provisioning.start",
        targetType: "provisioning_run",
        targetId: r!.id,
        summary: { domain, size: input.size },
      });
      return r!;
    });
  } catch (err) {
    if (isUniqueViolation(err, "sending_domains_name_uq"))
      throw new AppError("CONFLICT", `${domain} is already registered on PenguinMails.`);
    if (isUniqueViolation(err, "provisioning_runs_live_domain_uq"))
      throw new AppError("CONFLICT", `${domain} is already being provisioned.`);
    throw err;
  }
  if (existing) return toRunDto(run);
  try {
    await workflow.create({ id: run.id, params: { tenantId, runId: run.id } });
  } catch (err) {
    // The same id twice (a retried request) is the run we already have; anything else is real.
    if (!/already exists|duplicate/i.test((err as Error).message)) {
      await failRun(ctx, run.id, `Could not start the provisioning workflow: ${(err as Error).message}`);
      throw new AppError("UNAVAILABLE", "Provisioning could not be started; nothing was created. Try again.");
    }
  }
  return toRunDto(run);
}

export async function listRuns(ctx: Ctx, limit = 20): Promise<RunDto[]> {
  requirePermission(ctx, "infra:read");
  const rows = await withTx(ctx, (tx) =>
    tx
      .select()
      .from(provisioningRuns)
      .where(eq(provisioningRuns.tenantId, ctx.tenant!.id))
      .orderBy(desc(provisioningRuns.createdAt))
      .limit(limit),
  );
  return rows.map(toRunDto);
}

export async function getRun(ctx: Ctx, id: string): Promise<RunDto> {
  requirePermission(ctx, "infra:read");
  return toRunDto(await withTx(ctx, (tx) => loadRun(tx, ctx.tenant!.id, id)));
}

async function loadRun(tx: Tx, tenantId: string, id: string, lock = false): Promise<Run> {
  const q = tx
    .select()
    .from(provisioningRuns)
    .where(and(eq(provisioningRuns.id, id), eq(provisioningRuns.tenantId, tenantId)));
  const [r] = lock ? await q.for("update") : await q;
  if (!r) throw new AppError("NOT_FOUND", "Provisioning run not found.");
  return r;
}

// ---------------------------------------------------------------------------------------------
// Progress (every step attempt is visible in the dashboard while it happens).

export async function updateStep(ctx: Ctx, runId: string, key: StepKey, patch: Partial<RunStep>, log?: Omit<RunLog, "at">) {
  await withTx(ctx, async (tx) => {
    const r = await loadRun(tx, ctx.tenant!.id, runId, true);
    const now = new Date().toISOString();
    const steps = r.steps.map((s) => {
      if (s.key !== key) return s;
      const next: RunStep = { ...s, ...patch };
      if (patch.status === "running") {
        next.attempts = s.attempts + 1;
        next.startedAt ??= now;
        delete next.error;
      }
      if (patch.status === "done" || patch.status === "failed" || patch.status === "skipped") next.finishedAt = now;
      return next;
    });
    const entries = log ? [...r.log, { at: now, ...log }] : r.log;
    await tx
      .update(provisioningRuns)
      .set({ steps, log: entries.slice(-300) })
      .where(eq(provisioningRuns.id, runId));
  });
}

/** Everything a step needs, read fresh each attempt (a retried step sees what the last attempt saved). */
export async function runState(ctx: Ctx, runId: string) {
  return withTx(ctx, async (tx) => {
    const run = await loadRun(tx, ctx.tenant!.id, runId);
    const [node] = run.nodeId ? await tx.select().from(infraNodes).where(eq(infraNodes.id, run.nodeId)) : [];
    const [domain] = run.domainId ? await tx.select().from(sendingDomains).where(eq(sendingDomains.id, run.domainId)) : [];
    if (!node || !domain) throw new StepFatal("The run's node or domain was deleted.");
    return { run, node, domain };
  });
}

/** A step failure that retrying cannot fix (bad input, refused credentials): fail now and roll back. */
export class StepFatal extends Error {
  override readonly name = "StepFatal";
}

/** Not a failure: the thing we wait for is not there yet (the workflow retries with its delay). */
export class NotYet extends Error {
  override readonly name = "NotYet";
}

function vendorFatal(err: unknown): never {
  if (isVendorError(err) && !err.retryable) throw new StepFatal(`${err.vendor}: ${err.message}`);
  if (err instanceof AppError && err.code !== "UNAVAILABLE" && err.code !== "RATE_LIMITED") throw new StepFatal(err.message);
  throw err;
}

const setNode = (ctx: Ctx, id: string, patch: Partial<Node>) =>
  withTx(ctx, (tx) =>
    tx
      .update(infraNodes)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(infraNodes.id, id)),
  );

// ---------------------------------------------------------------------------------------------
// Steps. Each is idempotent: it reads what earlier attempts saved and never orders twice.

export async function stepCreateVps(ctx: Ctx, runId: string): Promise<string> {
  const { run, node } = await runState(ctx, runId);
  if (node.providerServiceId) return `Server ${node.providerServiceId} already ordered.`;
  const hw = hostwinds(ctx);
  if (node.providerRequestedAt) {
    // An earlier attempt sent add_instance and lost the answer: find that server, never order another.
    const found = (await hw.getInstances().catch(vendorFatal)).find((i) => i.srvrname === node.srvrname);
    if (!found) throw new NotYet(`Waiting for Hostwinds to list ${node.srvrname}.`);
    await setNode(ctx, node.id, { providerServiceId: found.serviceid });
    return `Found server ${found.serviceid} from the earlier order.`;
  }
  await setNode(ctx, node.id, { providerRequestedAt: new Date() });
  const url = await bootstrapUrl(ctx, node);
  let result: Awaited<ReturnType<typeof hw.addInstance>>;
  try {
    result = await hw.addInstance({
      template: ctx.config.HOSTWINDS_NODE_TEMPLATE,
      rid: planId(ctx, run.params.size as NodeSize),
      locationId: ctx.config.HOSTWINDS_LOCATION_ID,
      srvrname: node.srvrname,
      userData: `#!/bin/sh\ncurl -fsSL '${url}' | sh\n`,
    });
  } catch (err) {
    // Refused outright (bad key, bad plan): nothing exists, so the marker goes and the run fails.
    if (isVendorError(err) && !err.retryable) await setNode(ctx, node.id, { providerRequestedAt: null });
    vendorFatal(err);
  }
  let serviceid = result.serviceid;
  if (!serviceid) serviceid = (await hw.getInstances()).find((i) => i.srvrname === node.srvrname)?.serviceid ?? null;
  if (!serviceid) throw new NotYet(`Ordered ${node.srvrname}; waiting for Hostwinds to list it.`);
  await setNode(ctx, node.id, { providerServiceId: serviceid });
  return `Ordered server ${serviceid} (${run.params.size}).`;
}

export async function stepWaitIp(ctx: Ctx, runId: string): Promise<string> {
  const { node } = await runState(ctx, runId);
  if (node.mainIp) return `IP ${node.mainIp}.`;
  if (!node.providerServiceId) throw new StepFatal("No server was ordered.");
  const i = await hostwinds(ctx).getInstance(node.providerServiceId).catch(vendorFatal);
  if (!i.ready || !i.mainIp) throw new NotYet(`Server is ${i.status}; no IP yet.`);
  await setNode(ctx, node.id, { mainIp: i.mainIp, ips: i.ips.length ? i.ips : [i.mainIp] });
  return `IP ${i.mainIp}.`;
}

export async function stepSetRdns(ctx: Ctx, runId: string): Promise<string> {
  const { node } = await runState(ctx, runId);
  if (!node.providerServiceId || !node.mainIp) throw new StepFatal("The server has no IP yet.");
  await hostwinds(ctx).setRdns({ serviceid: node.providerServiceId, ip: node.mainIp, rdns: node.hostname }).catch(vendorFatal);
  return `${node.mainIp} → ${node.hostname} (propagation can take 24–48 h).`;
}

/** True once the node agent called back; activates the node. */
export async function stepNodeReady(ctx: Ctx, runId: string): Promise<boolean> {
  const { node } = await runState(ctx, runId);
  if (!node.readyAt) return false;
  if (node.status === "provisioning") await setNode(ctx, node.id, { status: "active", statusReason: null });
  return true;
}

export async function stepCreateDomain(ctx: Ctx, runId: string): Promise<string> {
  const { domain } = await runState(ctx, runId);
  const d = await ensureOnNode(ctx, domain.id).catch(vendorFatal);
  return `${d.name} created with DKIM selector ${d.dkimSelector}.`;
}

export async function stepPublishDns(ctx: Ctx, runId: string): Promise<string | null> {
  const { domain } = await runState(ctx, runId);
  if (domain.dnsProvider !== "cloudflare" || !domain.cloudflareZoneId) return null;
  const d = await applyDnsRecords(ctx, domain.id, { zoneId: domain.cloudflareZoneId }).catch(vendorFatal);
  return `Published ${d.recordsTotal} records through Cloudflare.`;
}

export async function stepVerifyDns(ctx: Ctx, runId: string): Promise<string> {
  const { domain } = await runState(ctx, runId);
  const verdict = await checkDomain(ctx, ctx.tenant!.id, domain.id);
  return verdict === "verified"
    ? "All records found."
    : "Not all records are visible yet; they are re-checked in the background (propagation can take up to 72 h).";
}

export async function stepCreateMailboxes(ctx: Ctx, runId: string): Promise<string | null> {
  const { run, domain } = await runState(ctx, runId);
  if (!run.params.mailboxes.length) return null;
  const { results } = await createHostedMailboxes(ctx, { domainId: domain.id, mailboxes: run.params.mailboxes }).catch(vendorFatal);
  const failed = results.filter((r) => r.status === "failed");
  // A retry skips the ones that exist and tries the failed ones again.
  if (failed.length) throw new Error(`${failed.length} mailbox(es) failed: ${failed.map((f) => `${f.email} (${f.error})`).join("; ")}`);
  return `${results.length} mailbox(es) ready: ${results.map((r) => r.email).join(", ")}.`;
}

export async function finishRun(ctx: Ctx, runId: string) {
  const notify = await withTx(ctx, async (tx) => {
    const r = await loadRun(tx, ctx.tenant!.id, runId, true);
    if (r.status !== "running") return () => undefined;
    await tx
      .update(provisioningRuns)
      .set({
        status: "succeeded",
        finishedAt: new Date(),
        log: [...r.log, { at: new Date().toISOString(), level: "info", message: "Node ready: domain and mailboxes set up." }],
      })
      .where(eq(provisioningRuns.id, runId));
    await writeAudit(tx, ctx, {
      action: "provisioning.succeeded",
      targetType: "provisioning_run",
      targetId: runId,
      summary: { domain: r.domainName },
    });
    return alertAdmins(
      tx,
      ctx,
      r.tenantId,
      `Your sending node for ${r.domainName} is ready`,
      `mail.${r.domainName} is up, the domain has its DKIM key and its mailboxes are created.\n\nDNS status and mailboxes: ${ctx.config.APP_URL}/domains/${r.domainId ?? ""}`,
    );
  });
  notify();
}

/**
 * Undoes what the run created, newest first: mailboxes, DNS records we wrote, the domain, the VPS.
 * Each undo is idempotent and failures are logged, not thrown, so one stuck undo does not keep the
 * others from running; the run ends `failed` with the reason the user sees.
 */
export async function rollbackRun(ctx: Ctx, runId: string, reason: string): Promise<{ undone: string[]; problems: string[] }> {
  const undone: string[] = [];
  const problems: string[] = [];
  const state = await runState(ctx, runId).catch(() => null);
  if (state) {
    const { node, domain } = state;
    const attempt = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
        undone.push(what);
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    await attempt("mailboxes removed", () => withTx(ctx, (tx) => tx.delete(mailboxes).where(eq(mailboxes.domainId, domain.id))));
    if (domain.cloudflareZoneId) await attempt("DNS records released", () => releaseDnsRecords(ctx, domain.id));
    await attempt("domain released", () => withTx(ctx, (tx) => tx.delete(sendingDomains).where(eq(sendingDomains.id, domain.id))));
    if (node.providerServiceId || node.providerRequestedAt) {
      await attempt("VPS terminated", async () => {
        const hw = hostwinds(ctx);
        const id = node.providerServiceId ?? (await hw.getInstances()).find((i) => i.srvrname === node.srvrname)?.serviceid;
        if (!id) return;
        await hw.terminate(id).catch((err) => {
          if (!(isVendorError(err) && err.code === "not_found")) throw err;
        });
      });
    }
    await setNode(ctx, node.id, {
      status: "failed",
      statusReason: reason.slice(0, 500),
      mailuTokenEnc: null,
      agentTokenHash: null,
      bootstrapNonce: null,
    });
  }
  await failRun(ctx, runId, reason, undone, problems);
  return { undone, problems };
}

async function failRun(ctx: Ctx, runId: string, reason: string, undone: string[] = [], problems: string[] = []) {
  const notify = await withTx(ctx, async (tx) => {
    const r = await loadRun(tx, ctx.tenant!.id, runId, true);
    const now = new Date().toISOString();
    const created = new Set(["create_vps", "create_domain", "publish_dns", "create_mailboxes"]);
    const steps = r.steps.map((s): RunStep => {
      if (s.status === "running") return { ...s, status: "failed", error: s.error ?? reason, finishedAt: now };
      if (s.status === "done" && created.has(s.key)) return { ...s, status: "rolled_back" };
      return s;
    });
    const log: RunLog[] = [
      ...r.log,
      { at: now, level: "error", message: reason },
      ...(undone.length ? [{ at: now, level: "info" as const, message: `Rolled back: ${undone.join(", ")}.` }] : []),
      ...problems.map((p) => ({ at: now, level: "warn" as const, message: `Rollback problem: ${p}` })),
    ];
    await tx
      .update(provisioningRuns)
      .set({ status: "failed", error: reason.slice(0, 1000), finishedAt: new Date(), steps, log })
      .where(eq(provisioningRuns.id, runId));
    await writeAudit(tx, ctx, {
      action: "provisioning.failed",
      targetType: "provisioning_run",
      targetId: runId,
      summary: { domain: r.domainName, reason: reason.slice(0, 300) },
    });
    return alertAdmins(
      tx,
      ctx,
      r.tenantId,
      `Provisioning ${r.domainName} failed`,
      [
        `Setting up the sending node for ${r.domainName} failed: ${reason}`,
        undone.length
          ? `We rolled back what was created (${undone.join(", ")}), so nothing is left running or billed.`
          : "Nothing had been created yet.",
        `Details: ${ctx.config.APP_URL}/infrastructure/runs/${runId}`,
      ].join("\n\n"),
    );
  });
  notify();
}
