import { desc, eq, sql } from "drizzle-orm";
import { requirePermission } from "../auth/permissions.ts";
import type { Hostwinds, HostwindsInstance } from "../integrations/hostwinds/client.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { hostwinds } from "./clients.ts";
import { nodeHealth } from "./nodes.ts";
import { infraNodes, infraSyncRuns, sendingDomains } from "./tables.ts";

type ProviderNode = { tenant_id: string; node_id: string; srvrname: string; provider_service_id: number | null; status: string };

/** Pure: how one node compares with what Hostwinds lists. */
export function reconcileNode(
  node: { srvrname: string; providerServiceId: number | null; status: string; mainIp: string | null; ips: string[] },
  instances: HostwindsInstance[],
): { instance: HostwindsInstance | null; drift: string | null; patch: { providerServiceId?: number; mainIp?: string; ips?: string[] } } {
  const instance =
    instances.find((i) => (node.providerServiceId && i.serviceid === node.providerServiceId) || i.srvrname === node.srvrname) ?? null;
  const live = node.status === "active" || node.status === "maintenance";
  if (!instance) return { instance, drift: live ? "The VPS is no longer listed at Hostwinds." : null, patch: {} };
  const patch: { providerServiceId?: number; mainIp?: string; ips?: string[] } = {};
  const notes: string[] = [];
  if (node.providerServiceId !== instance.serviceid) patch.providerServiceId = instance.serviceid;
  if (instance.mainIp && node.mainIp && instance.mainIp !== node.mainIp)
    notes.push(`main IP changed from ${node.mainIp} to ${instance.mainIp} (DNS and rDNS must follow)`);
  if (instance.mainIp && instance.mainIp !== node.mainIp) patch.mainIp = instance.mainIp;
  const ips = instance.ips.length ? instance.ips : instance.mainIp ? [instance.mainIp] : [];
  if (ips.length && [...ips].sort().join() !== [...node.ips].sort().join()) patch.ips = ips;
  if (live && instance.status !== "active") notes.push(`Hostwinds reports the server as ${instance.status}`);
  return { instance, drift: notes.length ? notes.join("; ") : null, patch };
}

/**
 * Nightly (cron): lists Hostwinds instances and reconciles every node's service id and IPs,
 * flagging drift on the node (shown on the Infrastructure page) and recording a sync run with
 * counts. Our own servers (srvrname pm-…) that no node claims are reported, never terminated.
 */
export async function syncProviderInstances(ctx: Ctx, client?: Hostwinds) {
  if (!client && !ctx.config.HOSTWINDS_API_KEY) {
    ctx.log.info("infra.sync_skipped", { reason: "HOSTWINDS_API_KEY unset" });
    return null;
  }
  const hw = client ?? hostwinds(ctx);
  const id = newId("syn");
  await runInTx(ctx.db, { tenantId: null }, (tx) => tx.insert(infraSyncRuns).values({ id }));
  const finish = (patch: Partial<typeof infraSyncRuns.$inferInsert>) =>
    runInTx(ctx.db, { tenantId: null }, (tx) =>
      tx
        .update(infraSyncRuns)
        .set({ ...patch, finishedAt: new Date() })
        .where(eq(infraSyncRuns.id, id)),
    );
  try {
    const instances = await hw.getInstances();
    const nodes = (await runInTx(ctx.db, { tenantId: null }, (tx) => tx.execute<ProviderNode>(sql`select * from pm_provider_nodes()`)))
      .rows;
    const drift: { nodeId: string; issue: string }[] = [];
    let updated = 0;
    for (const ref of nodes.filter((n) => n.status !== "decommissioned" && n.status !== "failed")) {
      await runInTx(ctx.db, { tenantId: ref.tenant_id }, async (tx) => {
        const [node] = await tx.select().from(infraNodes).where(eq(infraNodes.id, ref.node_id));
        if (!node) return;
        const r = reconcileNode(node, instances);
        if (r.drift) drift.push({ nodeId: node.id, issue: r.drift });
        if (Object.keys(r.patch).length || r.drift !== node.drift) {
          updated++;
          await tx
            .update(infraNodes)
            .set({ ...r.patch, drift: r.drift, updatedAt: new Date() })
            .where(eq(infraNodes.id, node.id));
        }
      });
    }
    const claimed = new Set(nodes.map((n) => n.srvrname));
    for (const i of instances)
      if (i.srvrname?.startsWith("pm-") && !claimed.has(i.srvrname))
        drift.push({ nodeId: "", issue: `Server ${i.serviceid} (${i.srvrname}) belongs to no node.` });
    const summary = { instances: instances.length, nodes: nodes.length, updated, drift };
    await finish({ status: "ok", summary });
    ctx.log.info("infra.synced", { instances: instances.length, nodes: nodes.length, updated, drift: drift.length });
    return summary;
  } catch (err) {
    const message = (err as Error).message.slice(0, 500);
    await finish({ status: "error", error: message });
    ctx.log.error("infra.sync_failed", { error: message });
    return null;
  }
}

export async function infraStatus(ctx: Ctx) {
  requirePermission(ctx, "infra:read");
  return withTx(ctx, async (tx) => {
    const nodes = await tx.select().from(infraNodes).where(eq(infraNodes.tenantId, ctx.tenant!.id));
    const doms = await tx.select({ status: sendingDomains.status }).from(sendingDomains).where(eq(sendingDomains.tenantId, ctx.tenant!.id));
    const [last] = await tx.select().from(infraSyncRuns).orderBy(desc(infraSyncRuns.startedAt)).limit(1);
    const live = nodes.filter((n) => n.status !== "decommissioned" && n.status !== "failed");
    return {
      nodes: {
        total: live.length,
        healthy: live.filter((n) => nodeHealth(n) === "healthy").length,
        unhealthy: live.filter((n) => nodeHealth(n) === "unhealthy").length,
        provisioning: live.filter((n) => n.status === "provisioning").length,
      },
      domains: {
        total: doms.length,
        verified: doms.filter((d) => d.status === "verified").length,
        pending: doms.filter((d) => d.status === "pending").length,
        drift: doms.filter((d) => d.status === "drift").length,
      },
      lastSync: last ? { at: last.startedAt.toISOString(), status: last.status, error: last.error } : null,
    };
  });
}
