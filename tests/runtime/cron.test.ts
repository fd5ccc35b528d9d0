import { env, exports } from "cloudflare:workers";
import { and, desc, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "../../workers/audit/tables.ts";
import { infraNodes, infraSyncRuns, sendingDomains } from "../../workers/infra/tables.ts";
import { cloudflareDns } from "../../workers/integrations/cloudflare-dns/client.ts";
import { runInTx } from "../../workers/platform/db.ts";
import { newId } from "../../workers/platform/ids.ts";
import { trackingBaseUrls } from "../../workers/tracking/domains.ts";
import { trackingDomains } from "../../workers/tracking/tables.ts";
import { call, seed, signInAs } from "../support/api.ts";
import { CF_TOKEN, CF_ZONE, rand, seedNode, withScope } from "../support/infra.ts";

// exports.default is typed for fetch only; at runtime it is the entry's full Fetcher.
const entry = exports.default as unknown as { scheduled(o: { cron: string; scheduledTime: Date }): Promise<unknown> };

// The Cron Trigger entry point itself (wrangler.toml [triggers]): the daily run syncs Hostwinds.
describe("scheduled()", () => {
  it("the daily trigger records a provider sync and flags nodes whose VPS is gone", async () => {
    const t = await seed("Cron");
    const nodeId = await seedNode(t.tenantId); // a node Hostwinds has never heard of
    await entry.scheduled({ cron: "17 3 * * *", scheduledTime: new Date() });
    const { node, sync } = await withScope(t.tenantId, (s) =>
      runInTx(s.db, { tenantId: t.tenantId }, async (tx) => ({
        node: (await tx.select().from(infraNodes).where(eq(infraNodes.id, nodeId)))[0]!,
        sync: (await tx.select().from(infraSyncRuns).orderBy(desc(infraSyncRuns.startedAt)).limit(1))[0]!,
      })),
    );
    expect(node.drift).toMatch(/no longer listed at Hostwinds/);
    expect(sync.status).toBe("ok");
    expect(sync.summary!.drift.some((d) => d.nodeId === nodeId)).toBe(true);
  });

  it("the hourly trigger re-checks domains that are due", async () => {
    const t = await seed("CronDns");
    const domainId = newId("dom");
    await withScope(t.tenantId, (s) =>
      runInTx(s.db, { tenantId: t.tenantId }, (tx) =>
        tx.insert(sendingDomains).values({
          id: domainId,
          tenantId: t.tenantId,
          workspaceId: t.workspaceId,
          name: `c${Date.now()}.test`,
          dmarcRua: "d@x.test",
          nextCheckAt: new Date(Date.now() - 60_000),
        }),
      ),
    );
    await entry.scheduled({ cron: "7 * * * *", scheduledTime: new Date() });
    const [d] = await withScope(t.tenantId, (s) =>
      runInTx(s.db, { tenantId: t.tenantId }, (tx) => tx.select().from(sendingDomains).where(eq(sendingDomains.id, domainId))),
    );
    expect(d!.checkedAt).not.toBeNull();
    expect(d!.nextCheckAt.getTime()).toBeGreaterThan(Date.now());
  });

  it("the hourly trigger unverifies tracking domains whose CNAME left the platform, in every tenant, and keeps the rest", async () => {
    const cf = cloudflareDns({ token: CF_TOKEN }, fetch, (env as unknown as Record<string, string>).CLOUDFLARE_API_URL);
    const target = "track.penguinmails.test"; // TRACKING_CNAME_TARGET in vitest.config.ts
    const a = await seed("CronTrackA");
    const b = await seed("CronTrackB");
    const host = (p: string) => `${p}${rand()}.cfzone.test`;
    const [moved, kept, gone, recent, pending] = [host("moved"), host("kept"), host("gone"), host("recent"), host("pend")];

    // "moved" is verified the way a customer does it, then its CNAME is pointed elsewhere.
    const movedRecord = await cf.createRecord(CF_ZONE, { type: "CNAME", name: moved, content: target, ttl: 300 });
    const s = await signInAs(a);
    const added = await call("POST", "/api/v1/tracking-domains", { ...s, body: { workspaceId: a.workspaceId, hostname: moved } });
    expect((await call("POST", `/api/v1/tracking-domains/${added.json.id}/verify`, s)).json.status).toBe("verified");
    await cf.updateRecord(CF_ZONE, movedRecord.id, { content: "elsewhere.example" });
    await cf.createRecord(CF_ZONE, { type: "CNAME", name: kept, content: target, ttl: 300 });
    await cf.createRecord(CF_ZONE, { type: "CNAME", name: recent, content: "elsewhere.example", ttl: 300 });
    await cf.createRecord(CF_ZONE, { type: "CNAME", name: pending, content: "elsewhere.example", ttl: 300 });
    // "gone" has no record at all (NXDOMAIN); track.flaky-dns.test answers SERVFAIL (global setup).

    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const ids: Record<string, string> = { moved: added.json.id };
    const insert = (tenant: typeof a, name: string, hostname: string, status: "verified" | "pending", checkedAt: Date) => {
      ids[name] = newId("tdm");
      return withScope(tenant.tenantId, (sc) =>
        runInTx(sc.db, { tenantId: tenant.tenantId }, (tx) =>
          tx
            .insert(trackingDomains)
            .values({ id: ids[name]!, tenantId: tenant.tenantId, workspaceId: tenant.workspaceId, hostname, status, checkedAt }),
        ),
      );
    };
    await insert(a, "kept", kept, "verified", twoHoursAgo);
    await insert(a, "flaky", "track.flaky-dns.test", "verified", twoHoursAgo);
    await insert(a, "recent", recent, "verified", new Date(Date.now() - 5 * 60_000));
    await insert(a, "pending", pending, "pending", twoHoursAgo);
    await insert(b, "gone", gone, "verified", twoHoursAgo);
    await withScope(a.tenantId, (sc) =>
      runInTx(sc.db, { tenantId: a.tenantId }, (tx) =>
        tx.update(trackingDomains).set({ checkedAt: twoHoursAgo }).where(eq(trackingDomains.id, ids.moved!)),
      ),
    );

    const started = Date.now();
    await entry.scheduled({ cron: "7 * * * *", scheduledTime: new Date() });

    const read = (tenant: typeof a) =>
      withScope(tenant.tenantId, (sc) =>
        runInTx(sc.db, { tenantId: tenant.tenantId }, async (tx) => ({
          rows: new Map(
            (
              await tx
                .select()
                .from(trackingDomains)
                .where(inArray(trackingDomains.id, Object.values(ids)))
            ).map((r) => [r.id, r]),
          ),
          audit: await tx
            .select()
            .from(auditLog)
            .where(and(eq(auditLog.action, "tracking_domain.unverified"), inArray(auditLog.targetId, Object.values(ids)))),
          baseUrls: await trackingBaseUrls(tx, sc, [tenant.workspaceId]),
        })),
      );
    const ra = await read(a);
    const rb = await read(b);
    const row = (r: typeof ra, name: string) => r.rows.get(ids[name]!)!;

    expect(row(ra, "moved")).toMatchObject({ status: "failed" });
    expect(row(ra, "moved").lastError).toMatch(/^Unverified by the hourly re-check: moved\w+\.cfzone\.test points to elsewhere\.example/);
    expect(row(ra, "moved").checkedAt!.getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(row(rb, "gone")).toMatchObject({ status: "failed" });
    expect(row(rb, "gone").lastError).toMatch(/has no DNS record/);
    // Still pointing at us: stays verified, marked as checked now.
    expect(row(ra, "kept")).toMatchObject({ status: "verified", lastError: null });
    expect(row(ra, "kept").checkedAt!.getTime()).toBeGreaterThanOrEqual(started - 1000);
    // A failed lookup is not a verdict; not due yet; not verified: untouched.
    expect(row(ra, "flaky")).toMatchObject({ status: "verified", lastError: null, checkedAt: twoHoursAgo });
    expect(row(ra, "recent")).toMatchObject({ status: "verified" });
    expect(row(ra, "pending")).toMatchObject({ status: "pending", checkedAt: twoHoursAgo });

    // One audit entry per demotion, in the domain's own tenant, by the system.
    expect(ra.audit.map((e) => [e.targetId, e.actorKind, e.tenantId])).toEqual([[ids.moved, "system", a.tenantId]]);
    expect(ra.audit[0]!.summary).toMatchObject({ hostname: moved, expected: target });
    expect(rb.audit.map((e) => [e.targetId, e.actorKind, e.tenantId])).toEqual([[ids.gone, "system", b.tenantId]]);
    // Mail stops using a demoted domain: B falls back to the app host; A still has "kept".
    expect(rb.baseUrls.get(b.workspaceId)).toBe("http://127.0.0.1:8787");
    expect(ra.baseUrls.get(a.workspaceId)).toBe(`https://${kept}`);

    // A second run right away finds nothing due among them.
    await entry.scheduled({ cron: "7 * * * *", scheduledTime: new Date() });
    expect((await read(a)).audit).toHaveLength(1);
  });
});
