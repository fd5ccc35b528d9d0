import { and, asc, count, desc, eq, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { newToken, sha256Hex } from "../auth/tokens.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import { type Ctx, masterKeys, withTx } from "../platform/context.ts";
import { runInTx, type Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { decryptSecret } from "../platform/secrets.ts";
import { type BootstrapClaims, newAgentToken, parseAgentToken, verifyBootstrap } from "./agent-auth.ts";
import { renderBootstrapFiles, renderBootstrapScript } from "./bootstrap-files.ts";
import { infraNodes, type NodeHeartbeat, provisioningRuns, sendingDomains } from "./tables.ts";

type Node = typeof infraNodes.$inferSelect;

/** The agent heartbeats every 30 s; three missed (SPEC §4.3) and the node leaves rotation. */
export const HEARTBEAT_SECONDS = 30;
export const MISSED_HEARTBEATS = 3;
const STALE_MS = HEARTBEAT_SECONDS * MISSED_HEARTBEATS * 1000;

export type NodeHealth = "healthy" | "unhealthy" | "provisioning" | "maintenance" | "failed" | "decommissioned";

export function nodeHealth(n: Pick<Node, "status" | "lastHeartbeatAt">, now = Date.now()): NodeHealth {
  if (n.status !== "active") return n.status;
  return n.lastHeartbeatAt && now - n.lastHeartbeatAt.getTime() <= STALE_MS ? "healthy" : "unhealthy";
}

/** SQL twin of nodeHealth() = "healthy", for choosing nodes without loading them all. */
export const isHealthy = () =>
  and(eq(infraNodes.status, "active"), sql`${infraNodes.lastHeartbeatAt} > now() - make_interval(secs => ${STALE_MS / 1000})`);

export const toNodeDto = (n: Node, load: { domains: number; mailboxes: number } = { domains: 0, mailboxes: 0 }) => ({
  id: n.id,
  workspaceId: n.workspaceId,
  name: n.name,
  hostname: n.hostname,
  status: n.status,
  statusReason: n.statusReason,
  health: nodeHealth(n),
  provider: n.provider,
  providerServiceId: n.providerServiceId,
  mainIp: n.mainIp,
  ips: n.ips,
  dailyCapacity: n.dailyCapacity,
  domains: load.domains,
  mailboxes: load.mailboxes,
  lastHeartbeatAt: n.lastHeartbeatAt?.toISOString() ?? null,
  heartbeat: n.heartbeat ?? null,
  drift: n.drift,
  readyAt: n.readyAt?.toISOString() ?? null,
  createdAt: n.createdAt.toISOString(),
});
export type NodeDto = ReturnType<typeof toNodeDto>;

async function loads(tx: Tx, tenantId: string) {
  const d = await tx
    .select({ nodeId: sendingDomains.nodeId, n: count() })
    .from(sendingDomains)
    .where(eq(sendingDomains.tenantId, tenantId))
    .groupBy(sendingDomains.nodeId);
  const m = await tx
    .select({ nodeId: mailboxes.nodeId, n: count() })
    .from(mailboxes)
    .where(eq(mailboxes.tenantId, tenantId))
    .groupBy(mailboxes.nodeId);
  const out = new Map<string, { domains: number; mailboxes: number }>();
  for (const r of d) if (r.nodeId) out.set(r.nodeId, { domains: Number(r.n), mailboxes: 0 });
  for (const r of m) if (r.nodeId) out.set(r.nodeId, { domains: out.get(r.nodeId)?.domains ?? 0, mailboxes: Number(r.n) });
  return out;
}

export async function listNodes(ctx: Ctx): Promise<NodeDto[]> {
  requirePermission(ctx, "infra:read");
  return withTx(ctx, async (tx) => {
    const rows = await tx.select().from(infraNodes).where(eq(infraNodes.tenantId, ctx.tenant!.id)).orderBy(desc(infraNodes.createdAt));
    const l = await loads(tx, ctx.tenant!.id);
    return rows.map((n) => toNodeDto(n, l.get(n.id)));
  });
}

export async function loadNode(tx: Tx, ctx: Ctx, id: string): Promise<Node> {
  const [n] = await tx
    .select()
    .from(infraNodes)
    .where(and(eq(infraNodes.id, id), eq(infraNodes.tenantId, ctx.tenant!.id)));
  if (!n) throw new AppError("NOT_FOUND", "Node not found.");
  return n;
}

export async function getNode(ctx: Ctx, id: string): Promise<NodeDto> {
  requirePermission(ctx, "infra:read");
  return withTx(ctx, async (tx) => {
    const n = await loadNode(tx, ctx, id);
    return toNodeDto(n, (await loads(tx, ctx.tenant!.id)).get(n.id));
  });
}

/**
 * The healthy node with the most room for a new domain or mailbox in this workspace: dedicated
 * nodes of the workspace and the tenant's shared nodes, fewest domains per unit of capacity first.
 */
export async function pickNode(tx: Tx, ctx: Ctx, workspaceId: string): Promise<Node | null> {
  const [row] = await tx
    .select()
    .from(infraNodes)
    .where(
      and(
        eq(infraNodes.tenantId, ctx.tenant!.id),
        or(isNull(infraNodes.workspaceId), eq(infraNodes.workspaceId, workspaceId)),
        isHealthy(),
      ),
    )
    .orderBy(
      asc(
        sql`(select count(*) from sending_domains d where d.node_id = ${infraNodes.id})::float / greatest(${infraNodes.dailyCapacity}, 1)`,
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Maintenance takes a node out of rotation on purpose; active puts it back. */
export async function setNodeMaintenance(ctx: Ctx, id: string, maintenance: boolean): Promise<NodeDto> {
  requirePermission(ctx, "infra:write");
  return withTx(ctx, async (tx) => {
    const n = await loadNode(tx, ctx, id);
    if (n.status !== "active" && n.status !== "maintenance")
      throw new AppError("CONFLICT", `A ${n.status} node cannot be put into or out of maintenance.`);
    const [r] = await tx
      .update(infraNodes)
      .set({
        status: maintenance ? "maintenance" : "active",
        statusReason: maintenance ? "Maintenance (set by a person)" : null,
        updatedAt: new Date(),
      })
      .where(eq(infraNodes.id, id))
      .returning();
    await writeAudit(tx, ctx, { action: maintenance ? "node.maintenance_on" : "node.maintenance_off", targetType: "node", targetId: id });
    return toNodeDto(r!, (await loads(tx, ctx.tenant!.id)).get(id));
  });
}

// ---------------------------------------------------------------------------------------------
// Agent endpoints (no user: the agent token or the signed bootstrap URL is the credential).

async function agentNode<T>(ctx: Ctx, authorization: string | null, fn: (tx: Tx, node: Node) => Promise<T>): Promise<T> {
  const parsed = parseAgentToken(authorization);
  if (!parsed) throw new AppError("UNAUTHENTICATED", "A node agent token is required.");
  const hash = await sha256Hex(parsed.token);
  return runInTx(ctx.db, { tenantId: parsed.tenantId }, async (tx) => {
    const [n] = await tx
      .select()
      .from(infraNodes)
      .where(and(eq(infraNodes.id, parsed.nodeId), eq(infraNodes.tenantId, parsed.tenantId)));
    // One answer for "no such node" and "wrong secret": the endpoint reveals nothing.
    if (!n?.agentTokenHash || n.agentTokenHash !== hash || n.status === "decommissioned")
      throw new AppError("UNAUTHENTICATED", "Unknown or revoked node agent token.");
    return fn(tx, n);
  });
}

export const HeartbeatBody = z
  .object({
    version: z.string().max(64).optional(),
    load1: z.number().min(0).max(1000).optional(),
    memUsedPct: z.number().min(0).max(100).optional(),
    diskUsedPct: z.number().min(0).max(100).optional(),
    queueDepth: z.number().int().min(0).max(10_000_000).optional(),
    uptimeSeconds: z.number().min(0).optional(),
  })
  .strip();

export async function recordHeartbeat(ctx: Ctx, authorization: string | null, body: NodeHeartbeat) {
  return agentNode(ctx, authorization, async (tx, n) => {
    await tx.update(infraNodes).set({ lastHeartbeatAt: new Date(), heartbeat: body }).where(eq(infraNodes.id, n.id));
    return { ok: true as const, nextInSeconds: HEARTBEAT_SECONDS };
  });
}

export const ReadyBody = z
  .object({
    version: z.string().max(64).optional(),
    mailuVersion: z.string().max(64).optional(),
    ips: z.array(z.string().max(64)).max(16).optional(),
  })
  .strip();

/**
 * The node says MailU is up. Marks it ready (the provisioning run continues) and counts as its
 * first heartbeat. Returns the run to wake, if one is waiting.
 */
export async function markNodeReady(ctx: Ctx, authorization: string | null, body: z.infer<typeof ReadyBody>) {
  return agentNode(ctx, authorization, async (tx, n) => {
    const now = new Date();
    await tx
      .update(infraNodes)
      .set({ readyAt: n.readyAt ?? now, lastHeartbeatAt: now, heartbeat: { version: body.version }, updatedAt: now })
      .where(eq(infraNodes.id, n.id));
    const [run] = await tx
      .select({ id: provisioningRuns.id })
      .from(provisioningRuns)
      .where(and(eq(provisioningRuns.nodeId, n.id), eq(provisioningRuns.status, "running")));
    return { ok: true as const, nodeId: n.id, runId: run?.id ?? null };
  });
}

/**
 * Serves the node's bootstrap bundle once. The URL is HMAC-signed, expires, and its nonce is
 * cleared on first use, so a leaked URL is worthless after the node fetched it.
 */
export async function takeBootstrap(ctx: Ctx, token: string, format: "json" | "sh") {
  const claims: BootstrapClaims | null = await verifyBootstrap(ctx.config.AUTH_SECRET, token);
  if (!claims) throw new AppError("NOT_FOUND", "Unknown or expired bootstrap link.");
  // The agent token is minted here and only its hash is kept: the plain token exists only in this answer.
  const agentToken = newAgentToken(claims.tenantId, claims.nodeId);
  const agentTokenHash = await sha256Hex(agentToken);
  const bundle = await runInTx(ctx.db, { tenantId: claims.tenantId }, async (tx) => {
    // Claim in one statement: two concurrent fetches cannot both win.
    const [n] = await tx
      .update(infraNodes)
      .set({ bootstrapNonce: null, bootstrapUsedAt: new Date(), agentTokenHash, updatedAt: new Date() })
      .where(and(eq(infraNodes.id, claims.nodeId), eq(infraNodes.bootstrapNonce, claims.nonce)))
      .returning();
    if (!n) throw new AppError("GONE", "This bootstrap link was already used.");
    if (!n.mailuTokenEnc) throw new AppError("CONFLICT", "The node has no MailU credentials yet.");
    const [domain] = await tx
      .select({ name: sendingDomains.name })
      .from(sendingDomains)
      .where(eq(sendingDomains.nodeId, n.id))
      .orderBy(asc(sendingDomains.createdAt))
      .limit(1);
    const mailuApiToken = await decryptSecret(await masterKeys(ctx), n.mailuTokenEnc);
    return { node: n, firstDomain: domain?.name ?? n.hostname.replace(/^mail\./, ""), mailuApiToken };
  });
  const base = ctx.config.APP_URL.replace(/\/$/, "");
  const urls = { readyUrl: `${base}/api/nodes/ready`, heartbeatUrl: `${base}/api/nodes/heartbeat` };
  const files = renderBootstrapFiles({
    nodeId: bundle.node.id,
    hostname: bundle.node.hostname,
    firstDomain: bundle.firstDomain,
    mailuApiToken: bundle.mailuApiToken,
    agentToken,
    ...urls,
    secretKey: newToken(24),
    mainIp: bundle.node.mainIp,
  });
  if (format === "sh") return { kind: "sh" as const, body: renderBootstrapScript(files) };
  return {
    kind: "json" as const,
    body: { nodeId: bundle.node.id, hostname: bundle.node.hostname, mailuApiToken: bundle.mailuApiToken, agentToken, ...urls, files },
  };
}
