import { and, eq, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { type DnsResolver, dohResolver } from "../integrations/doh/client.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { cnameTarget, judgeCname } from "./domains.ts";
import { trackingDomains } from "./tables.ts";

/**
 * A verified tracking domain last checked longer ago than this is re-checked by the next hourly
 * cron (:07). Half an hour rather than an hour so a domain checked at 10:07:03 is not skipped at 11:07.
 */
export const TRACKING_RECHECK_AFTER_MS = 30 * 60_000;

export type RecheckOutcome = "verified" | "unverified" | "unknown" | "skipped";

/**
 * Cron: every verified tracking domain that is due, across tenants (ids come from the SECURITY
 * DEFINER pm_due_tracking_domain_checks; each domain is then read and written inside its own
 * tenant's transaction, as recheckDueDomains does for sending domains). A CNAME that no longer points
 * at the platform demotes the domain to "failed" — links fall back to the app host, because only
 * verified domains are used — with an audit entry. A failed lookup changes nothing (retried next hour).
 */
export async function recheckTrackingDomains(ctx: Ctx, now = new Date(), limit = 200, dns?: DnsResolver) {
  const resolver = dns ?? dohResolver(fetch, ctx.config.DOH_URL);
  const due = await runInTx(ctx.db, { tenantId: null }, (tx) =>
    tx.execute<{ tenant_id: string; tracking_domain_id: string }>(
      sql`select * from pm_due_tracking_domain_checks(${new Date(now.getTime() - TRACKING_RECHECK_AFTER_MS).toISOString()}::timestamptz, ${limit})`,
    ),
  );
  const tally: Record<RecheckOutcome | "failed", number> = { verified: 0, unverified: 0, unknown: 0, skipped: 0, failed: 0 };
  for (const row of due.rows) {
    try {
      tally[await recheckTrackingDomain(ctx, row.tenant_id, row.tracking_domain_id, resolver, now)]++;
    } catch (err) {
      tally.failed++;
      ctx.log.error("tracking_domain.recheck_failed", { trackingDomainId: row.tracking_domain_id, error: (err as Error).message });
    }
  }
  ctx.log.info("tracking_domains.rechecked", tally);
  return tally;
}

/** One domain. The DNS lookup runs outside any transaction (no connection held while waiting). */
export async function recheckTrackingDomain(
  ctx: Ctx,
  tenantId: string,
  id: string,
  dns: DnsResolver,
  now = new Date(),
): Promise<RecheckOutcome> {
  const scope = { tenantId };
  const [row] = await runInTx(ctx.db, scope, (tx) => tx.select().from(trackingDomains).where(eq(trackingDomains.id, id)));
  if (row?.status !== "verified") return "skipped";
  const target = cnameTarget(ctx);
  const { verdict, error } = judgeCname(row.hostname, target, await dns.resolve(row.hostname, "CNAME"));
  if (verdict === "unknown") return "unknown";
  // Only a row that is still verified changes: a remove or re-verify meanwhile wins.
  const stillVerified = and(eq(trackingDomains.id, id), eq(trackingDomains.status, "verified"));
  return runInTx(ctx.db, scope, async (tx) => {
    if (verdict === "verified") {
      const kept = await tx
        .update(trackingDomains)
        .set({ checkedAt: now, lastError: null })
        .where(stillVerified)
        .returning({ id: trackingDomains.id });
      return kept.length ? "verified" : "skipped";
    }
    const lastError = `Unverified by the hourly re-check: ${error}`;
    const demoted = await tx
      .update(trackingDomains)
      .set({ status: "failed", lastError, checkedAt: now })
      .where(stillVerified)
      .returning({ id: trackingDomains.id });
    if (!demoted.length) return "skipped";
    // The tenant comes from the row: cron runs have no tenant on ctx.
    await writeAudit(tx, ctx, {
      action: "tracking_domain.unverified",
      tenantId,
      targetType: "tracking_domain",
      targetId: id,
      summary: { hostname: row.hostname, workspaceId: row.workspaceId, expected: target, reason: error },
    });
    ctx.log.warn("tracking_domain.unverified", { tenantId, trackingDomainId: id });
    return "unverified";
  });
}
