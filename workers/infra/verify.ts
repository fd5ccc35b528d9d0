import { eq, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { compareRecord, type DnsRecord } from "../dns/records.ts";
import type { DnsResolver } from "../integrations/doh/client.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { alertAdmins } from "./alerts.ts";
import { resolver } from "./clients.ts";
import { type DomainDto, domainWithRecords, loadDomain } from "./domains.ts";
import { domainRecords, sendingDomains } from "./tables.ts";

type RecordRow = typeof domainRecords.$inferSelect;

/** Verified domains are re-checked hourly (SPEC §4.4); pending ones sooner, backing off to hourly. */
export const RECHECK_VERIFIED_MS = 3600_000;
const PENDING_BACKOFF_MS = [5, 15, 30, 60].map((m) => m * 60_000);

/** Records that decide "verified": the optional tracking CNAME and the provider-side PTR do not. */
export const isRequired = (r: Pick<RecordRow, "purpose" | "managedAt">) => r.managedAt === "zone" && r.purpose !== "tracking";

const asDnsRecord = (r: RecordRow): DnsRecord => ({
  purpose: r.purpose,
  type: r.type,
  name: r.name,
  content: r.value,
  zoneContent: r.value,
  priority: r.priority ?? undefined,
  ttl: 3600,
  managedAt: r.managedAt,
  inDomain: r.inDomain,
});

export type Verdict = "verified" | "pending" | "drift";

/** Pure: the domain's state after a check, from the previous state and each record's outcome. */
export function domainVerdict(
  previous: "pending" | "verified" | "drift",
  records: Pick<RecordRow, "purpose" | "managedAt" | "status">[],
): Verdict {
  const required = records.filter(isRequired);
  if (required.length === 0) return previous === "verified" ? "verified" : previous;
  // A failed lookup is not evidence either way (workers/dns/README.md): keep the last verdict.
  if (required.some((r) => r.status === "error")) return previous;
  const allMatch = required.every((r) => r.status === "match");
  if (allMatch) return "verified";
  return previous === "pending" ? "pending" : "drift";
}

/**
 * Resolves every record of one domain over DNS-over-HTTPS and stores per-record status, what was
 * found, attempts and the error. Lookups happen outside any transaction (no connection is held
 * while waiting on DNS). Drift on a verified domain is recorded in the audit log as an alert.
 */
export async function checkDomain(ctx: Ctx, tenantId: string, domainId: string, dns: DnsResolver = resolver(ctx)) {
  const scope = { tenantId };
  const loaded = await runInTx(ctx.db, scope, async (tx) => {
    const [d] = await tx.select().from(sendingDomains).where(eq(sendingDomains.id, domainId));
    if (!d) return null;
    return { d, records: await tx.select().from(domainRecords).where(eq(domainRecords.domainId, domainId)) };
  });
  if (!loaded) return null;
  const outcomes = await Promise.all(
    loaded.records.map(async (r) => {
      const answer = await dns.resolve(r.name, r.type);
      const cmp = compareRecord(asDnsRecord(r), answer);
      return { r, cmp, found: answer.status === "ok" ? answer.answers.join(" | ").slice(0, 2000) || null : null };
    }),
  );
  const now = new Date();
  const { verdict, notify } = await runInTx(ctx.db, scope, async (tx) => {
    for (const { r, cmp, found } of outcomes) {
      await tx
        .update(domainRecords)
        .set({
          status: cmp.status,
          found,
          lastError: cmp.status === "match" ? null : cmp.reason.slice(0, 500),
          attempts: sql`${domainRecords.attempts} + 1`,
          checkedAt: now,
        })
        .where(eq(domainRecords.id, r.id));
    }
    const d = loaded.d;
    const verdict = domainVerdict(
      d.status,
      outcomes.map(({ r, cmp }) => ({ ...r, status: cmp.status })),
    );
    const attempts = Math.max(0, ...outcomes.map(({ r }) => r.attempts + 1));
    const next =
      verdict === "pending"
        ? (PENDING_BACKOFF_MS[Math.min(attempts - 1, PENDING_BACKOFF_MS.length - 1)] ?? RECHECK_VERIFIED_MS)
        : RECHECK_VERIFIED_MS;
    await tx
      .update(sendingDomains)
      .set({
        status: verdict,
        checkedAt: now,
        nextCheckAt: new Date(now.getTime() + next),
        verifiedAt: verdict === "verified" ? (d.verifiedAt ?? now) : d.verifiedAt,
      })
      .where(eq(sendingDomains.id, d.id));
    if (verdict !== d.status && (verdict === "drift" || d.status === "drift" || verdict === "verified")) {
      const failing = outcomes
        .filter(({ r, cmp }) => isRequired(r) && cmp.status !== "match")
        .map(({ r, cmp }) => `${r.type} ${r.name}: ${cmp.reason}`);
      // The tenant comes from the entry: cron runs have no tenant on ctx.
      await writeAudit(tx, ctx, {
        action: verdict === "drift" ? "domain.dns_drift" : "domain.verified",
        tenantId,
        targetType: "domain",
        targetId: d.id,
        summary: { name: d.name, from: d.status, to: verdict, failing: failing.slice(0, 10) },
      });
      if (verdict === "drift") {
        ctx.log.warn("domain.dns_drift", { tenantId, domainId: d.id, failing: failing.length });
        const notify = await alertAdmins(
          tx,
          ctx,
          tenantId,
          `DNS problem on ${d.name}`,
          [
            `The DNS records of ${d.name} no longer match what it needs to send mail:`,
            "",
            ...failing.map((f) => `  - ${f}`),
            "",
            `Fix them at your DNS provider (or re-apply them from the domain page: ${ctx.config.APP_URL}/domains/${d.id}).`,
            "Until then, receivers may reject or spam-folder mail from this domain.",
          ].join("\n"),
        );
        return { verdict, notify };
      }
    }
    return { verdict, notify: () => undefined };
  });
  notify();
  return verdict;
}

/** "Verify now" from the dashboard or API. */
export async function verifyDomain(ctx: Ctx, id: string, dns?: DnsResolver): Promise<DomainDto> {
  requirePermission(ctx, "infra:write");
  await withTx(ctx, (tx) => loadDomain(tx, ctx, id, "admin"));
  await checkDomain(ctx, ctx.tenant!.id, id, dns);
  return withTx(ctx, async (tx) => domainWithRecords(tx, await loadDomain(tx, ctx, id)));
}

/**
 * Cron: every domain whose next check is due, across tenants (ids come from a SECURITY DEFINER
 * function; each domain is then read and written inside its own tenant's transaction).
 */
export async function recheckDueDomains(ctx: Ctx, now = new Date(), limit = 200, dns?: DnsResolver) {
  const due = await runInTx(ctx.db, { tenantId: null }, (tx) =>
    tx.execute<{ tenant_id: string; domain_id: string }>(
      sql`select * from pm_due_domain_checks(${now.toISOString()}::timestamptz, ${limit})`,
    ),
  );
  const tally = { checked: 0, verified: 0, drift: 0, pending: 0, failed: 0 };
  for (const row of due.rows) {
    try {
      const v = await checkDomain(ctx, row.tenant_id, row.domain_id, dns);
      tally.checked++;
      if (v) tally[v]++;
    } catch (err) {
      tally.failed++;
      ctx.log.error("domain.recheck_failed", { domainId: row.domain_id, error: (err as Error).message });
    }
  }
  ctx.log.info("domains.rechecked", tally);
  return tally;
}
