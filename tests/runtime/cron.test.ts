import { exports } from "cloudflare:workers";
import { desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { infraNodes, infraSyncRuns, sendingDomains } from "../../workers/infra/tables.ts";
import { runInTx } from "../../workers/platform/db.ts";
import { newId } from "../../workers/platform/ids.ts";
import { seed } from "../support/api.ts";
import { seedNode, withScope } from "../support/infra.ts";

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
});
