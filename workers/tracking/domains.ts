import { and, asc, eq, type SQLWrapper, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { isUniqueViolation } from "../auth/sign-up.ts";
import { type DohResult, dohResolver } from "../integrations/doh/client.ts";
import { isDomain } from "../leads/email.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { requireWorkspaceRole } from "../tenants/access.ts";
import { trackingDomains } from "./tables.ts";

type Row = typeof trackingDomains.$inferSelect;

export const cnameTarget = (ctx: Ctx) => ctx.config.TRACKING_CNAME_TARGET ?? new URL(ctx.config.APP_URL).hostname;

const toDto = (ctx: Ctx, r: Row) => ({
  id: r.id,
  workspaceId: r.workspaceId,
  hostname: r.hostname,
  status: r.status,
  cnameTarget: cnameTarget(ctx),
  lastError: r.lastError,
  checkedAt: r.checkedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

async function load(tx: Tx, ctx: Ctx, id: string) {
  const [r] = await tx
    .select()
    .from(trackingDomains)
    .where(and(eq(trackingDomains.id, id), eq(trackingDomains.tenantId, ctx.tenant!.id)));
  if (!r) throw new AppError("NOT_FOUND", "Tracking domain not found.");
  await requireWorkspaceRole(tx, ctx, r.workspaceId, "admin").catch((err) => {
    throw err instanceof AppError && err.code === "NOT_FOUND" ? new AppError("NOT_FOUND", "Tracking domain not found.") : err;
  });
  return r;
}

export async function listTrackingDomains(ctx: Ctx, workspaceId?: string) {
  requirePermission(ctx, "campaigns:read");
  const rows = await withTx(ctx, async (tx) => {
    if (workspaceId) await requireWorkspaceRole(tx, ctx, workspaceId, "viewer");
    return tx
      .select()
      .from(trackingDomains)
      .where(and(eq(trackingDomains.tenantId, ctx.tenant!.id), workspaceId ? eq(trackingDomains.workspaceId, workspaceId) : undefined))
      .orderBy(asc(trackingDomains.hostname));
  });
  return rows.map((r) => toDto(ctx, r));
}

export async function addTrackingDomain(ctx: Ctx, input: { workspaceId: string; hostname: string }) {
  requirePermission(ctx, "campaigns:write");
  const hostname = input.hostname.trim().toLowerCase().replace(/\.$/, "");
  if (!isDomain(hostname) || hostname.split(".").length < 3)
    throw new AppError("BAD_REQUEST", "Use a sub-domain you control, such as track.yourcompany.com.");
  if (hostname === cnameTarget(ctx) || hostname === new URL(ctx.config.APP_URL).hostname)
    throw new AppError("BAD_REQUEST", "Use a host name of your own.");
  try {
    return await withTx(ctx, async (tx) => {
      await requireWorkspaceRole(tx, ctx, input.workspaceId, "admin");
      const [r] = await tx
        .insert(trackingDomains)
        .values({ id: newId("tdm"), tenantId: ctx.tenant!.id, workspaceId: input.workspaceId, hostname })
        .returning();
      await writeAudit(tx, ctx, { action: "tracking_domain.add", targetType: "tracking_domain", targetId: r!.id, summary: { hostname } });
      return toDto(ctx, r!);
    });
  } catch (err) {
    if (isUniqueViolation(err, "tracking_domains_ws_host_uq"))
      throw new AppError("CONFLICT", "That host name is already added to this workspace.");
    throw err;
  }
}

/**
 * What one CNAME lookup says about a tracking domain: "verified" when it points at the platform,
 * "failed" when DNS answered something else (or nothing), "unknown" when the lookup itself failed —
 * an outage is not evidence, so callers keep the last verdict. Shared by "Verify" and the hourly re-check.
 */
export function judgeCname(
  hostname: string,
  target: string,
  answer: DohResult,
): { verdict: "verified" | "failed" | "unknown"; error: string | null } {
  if (answer.status === "ok" && answer.answers.includes(target)) return { verdict: "verified", error: null };
  if (answer.status === "ok")
    return { verdict: "failed", error: `${hostname} points to ${answer.answers.join(", ") || "nothing"}, not ${target}.` };
  if (answer.status === "nxdomain") return { verdict: "failed", error: `${hostname} has no DNS record yet. Add a CNAME to ${target}.` };
  const why = answer.reason?.startsWith("lookup failed") ? "resolver unreachable" : (answer.reason ?? "error");
  return { verdict: "unknown", error: `DNS lookup failed (${why}); try again in a few minutes.` };
}

/** Checks the CNAME over DNS-over-HTTPS; only a verified domain is used in mail. */
export async function verifyTrackingDomain(ctx: Ctx, id: string, fetcher: typeof fetch = fetch) {
  requirePermission(ctx, "campaigns:write");
  const row = await withTx(ctx, (tx) => load(tx, ctx, id));
  const answer = await dohResolver(fetcher, ctx.config.DOH_URL).resolve(row.hostname, "CNAME");
  const { verdict, error: lastError } = judgeCname(row.hostname, cnameTarget(ctx), answer);
  const save = (status: "pending" | "verified" | "failed", error: string | null) =>
    withTx(ctx, async (tx) => {
      const [r] = await tx
        .update(trackingDomains)
        .set({ status, lastError: error, checkedAt: new Date() })
        .where(eq(trackingDomains.id, id))
        .returning();
      await writeAudit(tx, ctx, {
        action: "tracking_domain.verify",
        targetType: "tracking_domain",
        targetId: id,
        summary: { ok: status === "verified" },
      });
      return toDto(ctx, r!);
    });
  // A lookup that could not be answered says nothing about the record: keep the last verdict.
  const status = verdict === "unknown" ? row.status : verdict;
  try {
    return await save(status, lastError);
  } catch (err) {
    // Verified elsewhere first: the host is exclusive once proven, so this claim fails (no squatting).
    if (!isUniqueViolation(err, "tracking_domains_verified_host_uq")) throw err;
    return save("failed", `${row.hostname} is already verified by another organization.`);
  }
}

export async function removeTrackingDomain(ctx: Ctx, id: string) {
  requirePermission(ctx, "campaigns:write");
  return withTx(ctx, async (tx) => {
    const r = await load(tx, ctx, id);
    await tx.delete(trackingDomains).where(eq(trackingDomains.id, id));
    await writeAudit(tx, ctx, {
      action: "tracking_domain.remove",
      targetType: "tracking_domain",
      targetId: id,
      summary: { hostname: r.hostname },
    });
    return { removed: true as const };
  });
}

/**
 * The one rule for which tracking host a workspace's mail uses: its verified tracking domain (the
 * oldest when several), else none. A SQL expression so the send path can read it in its joined
 * select (sending/prepare.ts); row-level security keeps it to the caller's tenant.
 */
export function verifiedTrackingHost(workspaceId: SQLWrapper) {
  return sql<string | null>`(select td.hostname from tracking_domains td
    where td.workspace_id = ${workspaceId} and td.status = 'verified' order by td.created_at limit 1)`;
}

/** Base URL for links and pixels per workspace: https://<verified tracking host>, else APP_URL. */
export async function trackingBaseUrls(tx: Tx, ctx: Ctx, workspaceIds: string[]): Promise<Map<string, string>> {
  if (!workspaceIds.length) return new Map();
  const rows = await tx.execute<{ id: string; host: string | null }>(
    sql`select w.id, ${verifiedTrackingHost(sql`w.id`)} as host from unnest(${sql.param(workspaceIds)}::text[]) as w(id)`,
  );
  return new Map(rows.rows.map((r) => [r.id, r.host ? `https://${r.host}` : ctx.config.APP_URL]));
}
