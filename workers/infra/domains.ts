import { and, asc, count, eq } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { isUniqueViolation } from "../auth/sign-up.ts";
import { buildDomainRecords, DnsRecordError, isHostname, isIpv4, suggestColdSubdomain } from "../dns/records.ts";
import { isVendorError } from "../integrations/errors.ts";
import type { Mailu } from "../integrations/mailu/client.ts";
import { isDomain } from "../leads/email.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { requireWorkspaceRole } from "../tenants/access.ts";
import { plans, tenants } from "../tenants/tables.ts";
import { cnameTarget } from "../tracking/domains.ts";
import { releaseDnsRecords } from "./apply-dns.ts";
import { mailuFor } from "./clients.ts";
import { loadNode, nodeHealth, pickNode } from "./nodes.ts";
import { domainRecords, infraNodes, sendingDomains } from "./tables.ts";

type Domain = typeof sendingDomains.$inferSelect;
type RecordRow = typeof domainRecords.$inferSelect;
type Node = typeof infraNodes.$inferSelect;

export const toRecordDto = (r: RecordRow) => ({
  id: r.id,
  purpose: r.purpose,
  type: r.type,
  name: r.name,
  value: r.value,
  priority: r.priority,
  inDomain: r.inDomain,
  managedAt: r.managedAt,
  status: r.status,
  found: r.found,
  lastError: r.lastError,
  attempts: r.attempts,
  checkedAt: r.checkedAt?.toISOString() ?? null,
  appliedAt: r.appliedAt?.toISOString() ?? null,
});

export const toDomainDto = (d: Domain, extra: { records?: RecordRow[]; mailboxes?: number; nodeHostname?: string | null } = {}) => ({
  id: d.id,
  workspaceId: d.workspaceId,
  name: d.name,
  nodeId: d.nodeId,
  nodeHostname: extra.nodeHostname ?? null,
  status: d.status,
  dnsProvider: d.dnsProvider,
  cloudflareZoneId: d.cloudflareZoneId,
  dkimSelector: d.dkimSelector,
  dmarcRua: d.dmarcRua,
  mailboxes: extra.mailboxes ?? 0,
  records: (extra.records ?? []).map(toRecordDto),
  recordsOk: (extra.records ?? []).filter((r) => r.managedAt === "zone" && r.status === "match").length,
  recordsTotal: (extra.records ?? []).filter((r) => r.managedAt === "zone").length,
  checkedAt: d.checkedAt?.toISOString() ?? null,
  nextCheckAt: d.nextCheckAt.toISOString(),
  verifiedAt: d.verifiedAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
});
export type DomainDto = ReturnType<typeof toDomainDto>;

export function normalizeDomainName(raw: string): string {
  const name = raw
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, "")
    .replace(/\/.*$/, "")
    .replace(/\.$/, "");
  if (
    /[/:@\s]/.test(
      raw
        .trim()
        .replace(/^https?:\/\//i, "")
        .replace(/\/$/, ""),
    ) ||
    !isDomain(name)
  )
    throw new AppError("BAD_REQUEST", "Enter a domain name such as outreach.acme.com (no https://, no path, no address).");
  return name;
}

/** Sub-domains to send cold mail from, so the root domain's reputation stays apart (SPEC §4.4). */
export function suggestDomains(raw: string): { domain: string; suggestions: string[] } {
  const domain = normalizeDomainName(raw);
  return { domain, suggestions: suggestColdSubdomain(domain, 3) };
}

export const dmarcRua = (ctx: Ctx) => `dmarc@${ctx.config.INBOUND_DOMAIN}`;

export async function loadDomain(tx: Tx, ctx: Ctx, id: string, min: "viewer" | "admin" = "viewer"): Promise<Domain> {
  const [d] = await tx
    .select()
    .from(sendingDomains)
    .where(and(eq(sendingDomains.id, id), eq(sendingDomains.tenantId, ctx.tenant!.id)));
  if (!d) throw new AppError("NOT_FOUND", "Domain not found.");
  await requireWorkspaceRole(tx, ctx, d.workspaceId, min).catch((err) => {
    throw err instanceof AppError && err.code === "NOT_FOUND" ? new AppError("NOT_FOUND", "Domain not found.") : err;
  });
  return d;
}

export async function assertDomainQuota(tx: Tx, tenantId: string) {
  const [p] = await tx
    .select({ max: plans.maxDomains })
    .from(tenants)
    .innerJoin(plans, eq(plans.slug, tenants.plan))
    .where(eq(tenants.id, tenantId));
  if (p?.max == null) return;
  const [c] = await tx.select({ n: count() }).from(sendingDomains).where(eq(sendingDomains.tenantId, tenantId));
  if ((c?.n ?? 0) >= p.max) throw new AppError("PLAN_LIMIT", `Your plan allows ${p.max} sending domains. Upgrade to add more.`);
}

export async function listDomains(ctx: Ctx, workspaceId?: string): Promise<DomainDto[]> {
  requirePermission(ctx, "infra:read");
  return withTx(ctx, async (tx) => {
    if (workspaceId) await requireWorkspaceRole(tx, ctx, workspaceId, "viewer");
    const tenantId = ctx.tenant!.id;
    const rows = await tx
      .select({ d: sendingDomains, host: infraNodes.hostname })
      .from(sendingDomains)
      .leftJoin(infraNodes, eq(infraNodes.id, sendingDomains.nodeId))
      .where(and(eq(sendingDomains.tenantId, tenantId), workspaceId ? eq(sendingDomains.workspaceId, workspaceId) : undefined))
      .orderBy(asc(sendingDomains.name));
    const recs = await tx.select().from(domainRecords).where(eq(domainRecords.tenantId, tenantId));
    const boxes = await tx
      .select({ domainId: mailboxes.domainId, n: count() })
      .from(mailboxes)
      .where(eq(mailboxes.tenantId, tenantId))
      .groupBy(mailboxes.domainId);
    const nBoxes = new Map(boxes.map((b) => [b.domainId, Number(b.n)]));
    const byDomain = new Map<string, RecordRow[]>();
    for (const r of recs) byDomain.set(r.domainId, [...(byDomain.get(r.domainId) ?? []), r]);
    return rows.map(({ d, host }) =>
      toDomainDto(d, { records: byDomain.get(d.id) ?? [], mailboxes: nBoxes.get(d.id) ?? 0, nodeHostname: host }),
    );
  });
}

export async function domainWithRecords(tx: Tx, d: Domain): Promise<DomainDto> {
  const records = await tx.select().from(domainRecords).where(eq(domainRecords.domainId, d.id)).orderBy(asc(domainRecords.id));
  const [m] = await tx.select({ n: count() }).from(mailboxes).where(eq(mailboxes.domainId, d.id));
  const [node] = d.nodeId ? await tx.select({ hostname: infraNodes.hostname }).from(infraNodes).where(eq(infraNodes.id, d.nodeId)) : [];
  return toDomainDto(d, { records, mailboxes: Number(m?.n ?? 0), nodeHostname: node?.hostname ?? null });
}

export async function getDomain(ctx: Ctx, id: string): Promise<DomainDto> {
  requirePermission(ctx, "infra:read");
  return withTx(ctx, async (tx) => domainWithRecords(tx, await loadDomain(tx, ctx, id)));
}

/**
 * (Re)writes the record set the domain should publish, from its node's IPs and host name and the
 * DKIM key MailU generated. Records whose content did not change keep their verification state.
 */
export async function writeRecords(tx: Tx, ctx: Ctx, d: Domain, node: Node): Promise<void> {
  if (!d.dkimValue) return;
  const ips = node.ips.length ? node.ips : node.mainIp ? [node.mainIp] : [];
  if (!ips.length) return;
  let built: ReturnType<typeof buildDomainRecords>;
  try {
    built = buildDomainRecords({
      domain: d.name,
      mailHost: node.hostname,
      nodeIps: ips,
      dkim: { selector: d.dkimSelector, publicKey: d.dkimValue.replace(/^.*\bp=/, "").replace(/;.*$/, "") },
      dmarcRua: d.dmarcRua,
      // The optional tracking CNAME needs a host name to point at (a bare-IP dev APP_URL has none).
      ...(isHostname(cnameTarget(ctx)) && !isIpv4(cnameTarget(ctx))
        ? { trackingHost: `track.${d.name}`, trackingCname: cnameTarget(ctx) }
        : {}),
    });
  } catch (err) {
    if (err instanceof DnsRecordError) throw new AppError("UNPROCESSABLE", `Cannot build DNS records: ${err.message}`);
    throw err;
  }
  const existing = await tx.select().from(domainRecords).where(eq(domainRecords.domainId, d.id));
  const key = (r: { purpose: string; type: string; name: string; value: string }) => `${r.purpose}|${r.type}|${r.name}|${r.value}`;
  const keep = new Map(existing.map((r) => [key(r), r]));
  const wanted = new Set<string>();
  for (const r of built) {
    const k = key({ ...r, value: r.content });
    wanted.add(k);
    if (keep.has(k)) continue;
    await tx.insert(domainRecords).values({
      id: newId("dnr"),
      tenantId: d.tenantId,
      domainId: d.id,
      purpose: r.purpose,
      type: r.type,
      name: r.name,
      value: r.content,
      priority: r.priority ?? null,
      inDomain: r.inDomain,
      managedAt: r.managedAt,
    });
  }
  for (const r of existing) if (!wanted.has(key(r))) await tx.delete(domainRecords).where(eq(domainRecords.id, r.id));
}

/**
 * Makes the domain exist on its node's MailU with a 2048-bit DKIM key, then writes its records.
 * Idempotent: an existing MailU domain (409) is fine, and a stored DKIM key is never regenerated
 * (regenerating would invalidate a published record).
 */
export async function ensureOnNode(ctx: Ctx, domainId: string, mailu?: Mailu): Promise<Domain> {
  const { d, node } = await withTx(ctx, async (tx) => {
    const [d] = await tx.select().from(sendingDomains).where(eq(sendingDomains.id, domainId));
    if (!d) throw new AppError("NOT_FOUND", "Domain not found.");
    if (!d.nodeId) throw new AppError("CONFLICT", "The domain has no sending node.");
    return { d, node: await loadNode(tx, ctx, d.nodeId) };
  });
  const client = mailu ?? (await mailuFor(ctx, node));
  let dkimValue = d.dkimValue;
  let dkimSelector = d.dkimSelector;
  try {
    if (!d.mailuCreated) {
      await client.createDomain(d.name, { comment: `penguinmails ${d.tenantId}` }).catch((err) => {
        if (isVendorError(err) && err.code === "conflict") return;
        throw err;
      });
    }
    if (!dkimValue) {
      const existing = await client.getDomain(d.name);
      if (existing.dns.dkim) {
        dkimValue = existing.dns.dkim.value;
      } else {
        const dkim = await client.generateDkim(d.name);
        dkimValue = dkim.value;
        dkimSelector = dkim.selector;
      }
    }
  } catch (err) {
    if (isVendorError(err)) throw new AppError("UNAVAILABLE", `The mail node refused: ${err.message}`);
    throw err;
  }
  return withTx(ctx, async (tx) => {
    const [r] = await tx
      .update(sendingDomains)
      .set({ mailuCreated: true, dkimValue, dkimSelector })
      .where(eq(sendingDomains.id, d.id))
      .returning();
    await writeRecords(tx, ctx, r!, node);
    return r!;
  });
}

/**
 * Adds a sending domain to a workspace on a healthy node (the given one, or the least loaded),
 * creates it on MailU with DKIM and returns the records to publish. Nothing stays behind when the
 * node refuses: the row is removed again.
 */
export async function addDomain(ctx: Ctx, input: { workspaceId: string; name: string; nodeId?: string }): Promise<DomainDto> {
  requirePermission(ctx, "infra:write");
  const name = normalizeDomainName(input.name);
  const tenantId = ctx.tenant!.id;
  let id: string;
  try {
    id = await withTx(ctx, async (tx) => {
      await requireWorkspaceRole(tx, ctx, input.workspaceId, "admin");
      await assertDomainQuota(tx, tenantId);
      const node = input.nodeId ? await loadNode(tx, ctx, input.nodeId) : await pickNode(tx, ctx, input.workspaceId);
      if (!node)
        throw new AppError("CONFLICT", "No healthy sending node is available. Provision one under Infrastructure first.", {
          issues: [{ path: "nodeId", message: "no healthy node" }],
        });
      if (nodeHealth(node) !== "healthy") throw new AppError("CONFLICT", `Node ${node.name} is ${nodeHealth(node)}; pick a healthy node.`);
      if (node.workspaceId && node.workspaceId !== input.workspaceId)
        throw new AppError("CONFLICT", "That node is dedicated to another workspace.");
      const id = newId("dom");
      await tx
        .insert(sendingDomains)
        .values({ id, tenantId, workspaceId: input.workspaceId, name, nodeId: node.id, dmarcRua: dmarcRua(ctx) });
      await writeAudit(tx, ctx, { action: "domain.add", targetType: "domain", targetId: id, summary: { name, nodeId: node.id } });
      return id;
    });
  } catch (err) {
    if (isUniqueViolation(err, "sending_domains_name_uq")) throw new AppError("CONFLICT", `${name} is already registered on PenguinMails.`);
    throw err;
  }
  try {
    await ensureOnNode(ctx, id);
  } catch (err) {
    await withTx(ctx, (tx) => tx.delete(sendingDomains).where(eq(sendingDomains.id, id)));
    throw err;
  }
  return getDomain(ctx, id);
}

/** Removes a domain that has no mailboxes left; MailU drops it (and its DKIM key) on the node. */
export async function removeDomain(ctx: Ctx, id: string): Promise<{ removed: true }> {
  requirePermission(ctx, "infra:write");
  const { d, node } = await withTx(ctx, async (tx) => {
    const d = await loadDomain(tx, ctx, id, "admin");
    const [m] = await tx.select({ n: count() }).from(mailboxes).where(eq(mailboxes.domainId, id));
    if (Number(m?.n ?? 0) > 0) throw new AppError("CONFLICT", "Delete the domain's mailboxes first.");
    const node = d.nodeId ? await loadNode(tx, ctx, d.nodeId) : null;
    return { d, node };
  });
  if (d.mailuCreated && node?.mailuTokenEnc && node.status !== "decommissioned") {
    const client = await mailuFor(ctx, node);
    await client.deleteDomain(d.name).catch((err) => {
      if (isVendorError(err) && err.code === "not_found") return;
      throw new AppError("UNAVAILABLE", `The mail node refused: ${isVendorError(err) ? err.message : "unreachable"}`);
    });
  }
  // Records we published through the customer's Cloudflare token go too (best effort: the zone is theirs).
  const released = await releaseDnsRecords(ctx, id).catch((err: Error) => {
    ctx.log.warn("domain.dns_release_failed", { domainId: id, error: err.message });
    return 0;
  });
  return withTx(ctx, async (tx) => {
    await tx.delete(sendingDomains).where(eq(sendingDomains.id, id));
    await writeAudit(tx, ctx, {
      action: "domain.remove",
      targetType: "domain",
      targetId: id,
      summary: { name: d.name, dnsRecordsReleased: released },
    });
    return { removed: true as const };
  });
}
