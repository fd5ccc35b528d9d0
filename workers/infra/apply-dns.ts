import { eq } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import type { CfRecordType, DnsZone } from "../integrations/cloudflare-dns/client.ts";
import { isVendorError } from "../integrations/errors.ts";
import { type Ctx, masterKeys, withTx } from "../platform/context.ts";
import { AppError } from "../platform/errors.ts";
import { decryptSecret, encryptSecret } from "../platform/secrets.ts";
import { dnsZone } from "./clients.ts";
import { type DomainDto, domainWithRecords, loadDomain } from "./domains.ts";
import { domainRecords, sendingDomains } from "./tables.ts";
import { checkDomain } from "./verify.ts";

type RecordRow = typeof domainRecords.$inferSelect;

/** The one record per name a receiver reads, so ours must replace the old one, never sit beside it. */
const SINGLETON: Partial<Record<RecordRow["purpose"], (content: string) => boolean>> = {
  spf: (c) => /^"?v=spf1\b/i.test(c),
  dmarc: (c) => /^"?v=DMARC1\b/i.test(c),
  dkim: () => true,
  tracking: () => true,
};

const unquote = (c: string) => c.replace(/^"|"$/g, "").replace(/"\s+"/g, "");

/**
 * Publishes the domain's zone records through the customer's Cloudflare token. Idempotent: a record
 * already there is adopted, SPF/DMARC/DKIM/CNAME are updated in place (two SPF records are a
 * permerror), and only records we created are remembered for rollback. Then verifies at once.
 */
export async function applyDnsRecords(
  ctx: Ctx,
  id: string,
  input: { zoneId: string; apiToken?: string; remember?: boolean },
  zoneFor: (token: string) => DnsZone = (t) => dnsZone(ctx, t),
): Promise<DomainDto> {
  requirePermission(ctx, "infra:write");
  const { d, records } = await withTx(ctx, async (tx) => {
    const d = await loadDomain(tx, ctx, id, "admin");
    return { d, records: await tx.select().from(domainRecords).where(eq(domainRecords.domainId, id)) };
  });
  const mk = await masterKeys(ctx);
  const token = input.apiToken ?? (d.cloudflareTokenEnc ? await decryptSecret(mk, d.cloudflareTokenEnc) : null);
  if (!token)
    throw new AppError("BAD_REQUEST", "A Cloudflare API token with Zone.DNS Edit on this zone is required.", {
      issues: [{ path: "apiToken", message: "required" }],
    });
  const zone = zoneFor(token);
  const applied: { id: string; providerRecordId: string | null }[] = [];
  try {
    for (const r of records.filter((r) => r.managedAt === "zone" && r.inDomain)) {
      applied.push({ id: r.id, providerRecordId: await upsert(zone, input.zoneId, r) });
    }
  } catch (err) {
    if (isVendorError(err)) {
      const hint =
        err.code === "auth"
          ? "The token was refused."
          : err.code === "forbidden"
            ? "The token cannot edit this zone."
            : err.code === "not_found"
              ? "Zone not found: check the zone id."
              : err.message;
      // What was written stays recorded, so a retry adopts it instead of duplicating it.
      await saveApplied(ctx, applied);
      throw new AppError(
        err.code === "rate_limited" ? "RATE_LIMITED" : "UNPROCESSABLE",
        `Cloudflare: ${hint}`,
        err.retryAfter ? { retryAfterSeconds: err.retryAfter } : undefined,
      );
    }
    throw err;
  }
  const tokenEnc =
    input.apiToken && input.remember ? await encryptSecret(mk, input.apiToken) : input.apiToken ? null : d.cloudflareTokenEnc;
  await withTx(ctx, async (tx) => {
    await tx
      .update(sendingDomains)
      .set({ dnsProvider: "cloudflare", cloudflareZoneId: input.zoneId, cloudflareTokenEnc: tokenEnc })
      .where(eq(sendingDomains.id, id));
    await writeAudit(tx, ctx, {
      action: "domain.dns_applied",
      targetType: "domain",
      targetId: id,
      summary: { name: d.name, records: applied.length, zoneId: input.zoneId },
    });
  });
  await saveApplied(ctx, applied);
  await checkDomain(ctx, ctx.tenant!.id, id);
  return withTx(ctx, async (tx) => domainWithRecords(tx, await loadDomain(tx, ctx, id)));
}

async function saveApplied(ctx: Ctx, applied: { id: string; providerRecordId: string | null }[]) {
  if (!applied.length) return;
  await withTx(ctx, async (tx) => {
    for (const a of applied)
      await tx
        .update(domainRecords)
        .set({ appliedAt: new Date(), ...(a.providerRecordId ? { providerRecordId: a.providerRecordId } : {}) })
        .where(eq(domainRecords.id, a.id));
  });
}

/** Returns the provider id of a record we created or took over; null when an identical one was already there. */
async function upsert(zone: DnsZone, zoneId: string, r: RecordRow): Promise<string | null> {
  const type = r.type as CfRecordType;
  const existing = await zone.listRecords(zoneId, { name: r.name, type });
  const same = existing.find((e) => (type === "TXT" ? unquote(e.content) === r.value : e.content.toLowerCase() === r.value.toLowerCase()));
  if (same) return r.providerRecordId;
  const body = {
    type,
    name: r.name,
    content: r.value,
    ttl: 1,
    proxied: false,
    comment: "PenguinMails",
    ...(r.priority != null ? { priority: r.priority } : {}),
  };
  const isSingleton = SINGLETON[r.purpose];
  const replace = isSingleton ? existing.find((e) => isSingleton(unquote(e.content))) : undefined;
  if (replace) {
    await zone.updateRecord(zoneId, replace.id, body);
    return r.providerRecordId;
  }
  return (await zone.createRecord(zoneId, body)).id;
}

/** Rollback helper: deletes exactly the records we created at the provider. */
export async function releaseDnsRecords(ctx: Ctx, domainId: string): Promise<number> {
  const { d, records } = await withTx(ctx, async (tx) => {
    const [d] = await tx.select().from(sendingDomains).where(eq(sendingDomains.id, domainId));
    return { d, records: d ? await tx.select().from(domainRecords).where(eq(domainRecords.domainId, domainId)) : [] };
  });
  if (!d?.cloudflareZoneId || !d.cloudflareTokenEnc) return 0;
  const zone = dnsZone(ctx, await decryptSecret(await masterKeys(ctx), d.cloudflareTokenEnc));
  let n = 0;
  for (const r of records.filter((r) => r.providerRecordId)) {
    await zone.deleteRecord(d.cloudflareZoneId, r.providerRecordId!).catch((err) => {
      if (!(isVendorError(err) && err.code === "not_found")) throw err;
    });
    n++;
  }
  return n;
}
