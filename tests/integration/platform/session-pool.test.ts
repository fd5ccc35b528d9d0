import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startWsProxy, type WsProxy } from "../../../scripts/lib/ws-proxy.ts";
import { createDb } from "../../../workers/platform/db.ts";

// The local proxy pools server sessions the way Neon's pooled endpoint does. A pooled backend must
// come back exactly as a new one would: no open transaction, settings, prepared statements or
// temporary tables of the client before.

let proxy: WsProxy;
const url = inject("databaseUrl");
const isPg = inject("dbKind") === "postgres";

beforeAll(async () => {
  proxy = await startWsProxy({ allow: /^127\.0\.0\.1:\d+$/, pool: true });
});
afterAll(() => proxy.close());

async function session<T>(fn: (q: (text: string) => Promise<Record<string, unknown>[]>) => Promise<T>, dbUrl = url): Promise<T> {
  const h = createDb({ DATABASE_URL: dbUrl, NEON_WS_PROXY: `127.0.0.1:${proxy.port}` }, undefined, 1);
  try {
    return await fn(async (text) => (await h.db.execute(sql.raw(text))).rows as Record<string, unknown>[]);
  } finally {
    await h.close();
  }
}
const settle = () => new Promise((r) => setTimeout(r, 100));

describe("pooled local proxy", () => {
  it("hands a disconnected client's backend to the next client", async () => {
    const before = { ...proxy.pool!.stats };
    const pid1 = await session(async (q) => (await q("select pg_backend_pid() as pid"))[0]!.pid);
    await settle();
    const pid2 = await session(async (q) => (await q("select pg_backend_pid() as pid"))[0]!.pid);
    expect(proxy.pool!.stats.reused - before.reused).toBeGreaterThanOrEqual(1);
    if (isPg) expect(pid2).toBe(pid1);
  });

  it("resets what a client left behind: transaction, settings, prepared statements, temp tables", async () => {
    await session(async (q) => {
      await q("set application_name = 'leaky'");
      await q("prepare leaky_stmt as select 1");
      await q("create temp table leaky_tmp (x int)");
      await q("begin");
      await q("select set_config('app.tenant_id', 'ten_leak', false)");
    });
    await settle();
    const reused = proxy.pool!.stats.reused;
    const seen = await session(async (q) => ({
      app: (await q("select current_setting('application_name') as v"))[0]!.v,
      tenant: (await q("select coalesce(current_setting('app.tenant_id', true), '') as v"))[0]!.v,
      prepared: (await q("select count(*)::int as n from pg_prepared_statements"))[0]!.n,
      temp: (await q("select count(*)::int as n from pg_class where relname = 'leaky_tmp'"))[0]!.n,
      inTx: (await q("select now() = statement_timestamp() as v"))[0]!.v,
    }));
    expect(proxy.pool!.stats.reused).toBeGreaterThan(reused);
    // application_name is back to what the client's startup message asked for.
    expect(seen.app).not.toBe("leaky");
    expect({ ...seen, app: null }).toEqual({ app: null, tenant: "", prepared: 0, temp: 0, inTx: true });
  });

  it("survives a pooled backend that the server closed", async () => {
    if (!isPg) return;
    const pid = await session(async (q) => (await q("select pg_backend_pid() as pid"))[0]!.pid);
    await settle();
    const killer = createDb({ DATABASE_URL: inject("ownerDatabaseUrl"), NEON_WS_PROXY: inject("wsProxy") });
    try {
      await killer.db.execute(sql`select pg_terminate_backend(${pid}::int)`);
    } finally {
      await killer.close();
    }
    await settle();
    const again = await session(async (q) => (await q("select 41 + 1 as n"))[0]!.n);
    expect(again).toBe(42);
  });

  it("answers at once when the database refuses the connection (no hanging client)", async () => {
    const down = new URL(url);
    down.port = "1";
    const started = Date.now();
    await expect(session((q) => q("select 1"), down.toString())).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("keeps sessions of different logins apart", async () => {
    if (!isPg) return;
    const owner = inject("ownerDatabaseUrl");
    const users = await Promise.all([
      session(async (q) => (await q("select current_user as u"))[0]!.u),
      session(async (q) => (await q("select current_user as u"))[0]!.u, owner),
    ]);
    await settle();
    const again = await Promise.all([
      session(async (q) => (await q("select current_user as u"))[0]!.u),
      session(async (q) => (await q("select current_user as u"))[0]!.u, owner),
    ]);
    expect(again).toEqual(users);
    expect(users[0]).not.toBe(users[1]);
  });
});
