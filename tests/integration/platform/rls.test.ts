import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../../workers/audit/tables.ts";
import type { RequestScope } from "../../../workers/platform/context.ts";
import { runInTx } from "../../../workers/platform/db.ts";
import { memberships, tenants, workspaces } from "../../../workers/tenants/tables.ts";
import { testScope } from "../../support/env.ts";
import { type SeededTenant, seedTenant } from "../../support/seed.ts";

// Row-level security is the second wall behind the code's own tenant filters: these queries
// deliberately omit any WHERE tenant_id so only the policy stands between tenants.
let scope: RequestScope;
let a: SeededTenant;
let b: SeededTenant;

beforeAll(async () => {
  scope = testScope();
  a = await seedTenant(scope, "Alpha");
  b = await seedTenant(scope, "Beta");
});
afterAll(() => scope.dispose());

const asTenant = <T>(t: SeededTenant | null, fn: Parameters<typeof runInTx<T>>[2]) =>
  runInTx(scope.db, { tenantId: t?.tenantId ?? null, userId: t?.userId ?? null }, fn);

describe("row-level security", () => {
  it("tenant A reads only its own rows", async () => {
    const rows = await asTenant(a, (tx) => tx.select({ tenantId: workspaces.tenantId }).from(workspaces));
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.tenantId))).toEqual(new Set([a.tenantId]));
    const audit = await asTenant(a, (tx) => tx.select({ tenantId: auditLog.tenantId }).from(auditLog));
    expect(audit.every((r) => r.tenantId === a.tenantId)).toBe(true);
  });

  it("tenant A cannot see tenant B's rows by id", async () => {
    const rows = await asTenant(a, (tx) => tx.select().from(workspaces).where(eq(workspaces.id, b.workspaceId)));
    expect(rows).toEqual([]);
    const t = await asTenant(a, (tx) => tx.select().from(tenants).where(eq(tenants.id, b.tenantId)));
    expect(t).toEqual([]);
  });

  it("a session without a tenant sees no tenant rows", async () => {
    const ws = await asTenant(null, (tx) => tx.select().from(workspaces));
    const ms = await asTenant(null, (tx) => tx.select().from(memberships));
    const ts = await asTenant(null, (tx) => tx.select().from(tenants));
    expect([ws.length, ms.length, ts.length]).toEqual([0, 0, 0]);
  });

  it("tenant A cannot insert rows into tenant B", async () => {
    await expect(
      asTenant(a, (tx) => tx.insert(workspaces).values({ id: "wsp_rls_attack", tenantId: b.tenantId, name: "x", slug: "x" })),
    ).rejects.toThrow();
    const leaked = await asTenant(b, (tx) => tx.select().from(workspaces).where(eq(workspaces.id, "wsp_rls_attack")));
    expect(leaked).toEqual([]);
  });

  it("tenant A cannot update or delete tenant B's rows", async () => {
    const updated = await asTenant(a, (tx) =>
      tx.update(workspaces).set({ name: "pwned" }).where(eq(workspaces.tenantId, b.tenantId)).returning(),
    );
    const deleted = await asTenant(a, (tx) => tx.delete(workspaces).where(eq(workspaces.id, b.workspaceId)).returning());
    expect([updated.length, deleted.length]).toEqual([0, 0]);
    const [still] = await asTenant(b, (tx) => tx.select().from(workspaces).where(eq(workspaces.id, b.workspaceId)));
    expect(still?.name).not.toBe("pwned");
  });

  it("cannot move a row to another tenant", async () => {
    await expect(
      asTenant(a, (tx) => tx.update(workspaces).set({ tenantId: b.tenantId }).where(eq(workspaces.id, a.workspaceId))),
    ).rejects.toThrow();
  });

  it("a user sees their own memberships in every tenant, and nobody else's elsewhere", async () => {
    const mine = await runInTx(scope.db, { tenantId: null, userId: a.userId }, (tx) => tx.select().from(memberships));
    expect(mine.map((m) => m.tenantId)).toEqual([a.tenantId]);
  });

  it("every table with a tenant_id column has RLS enabled and a policy", async () => {
    const rows = await runInTx(scope.db, { tenantId: null }, (tx) =>
      tx.execute<{ table_name: string; rls: boolean; policies: number }>(sql`
        select c.relname as table_name, c.relrowsecurity as rls,
               (select count(*)::int from pg_policies p where p.tablename = c.relname and p.schemaname = 'public') as policies
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'
          and exists (select 1 from information_schema.columns col
                      where col.table_schema = 'public' and col.table_name = c.relname and col.column_name = 'tenant_id')`),
    );
    expect(rows.rows.length).toBeGreaterThan(2);
    const unprotected = rows.rows.filter((r) => !r.rls || r.policies === 0).map((r) => r.table_name);
    expect(unprotected).toEqual([]);
  });
});
