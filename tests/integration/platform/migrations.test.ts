import { sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { startDbStack } from "../../../scripts/lib/db-stack.ts";
import { migrateDatabase } from "../../../scripts/lib/migrate.ts";
import { createDb } from "../../../workers/platform/db.ts";

async function tableCount(url: string, wsProxy: string) {
  const h = createDb({ DATABASE_URL: url, NEON_WS_PROXY: wsProxy });
  try {
    const r = await h.db.execute<{ n: number }>(
      sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`,
    );
    const applied = await h.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    return { tables: r.rows[0]?.n ?? 0, applied: applied.rows[0]?.n ?? 0 };
  } finally {
    await h.close();
  }
}

describe("migrations", () => {
  it("apply on an empty database and are idempotent", async () => {
    if (inject("dbKind") === "postgres") {
      // A throwaway database on the same server, created and dropped by the owner.
      const owner = inject("ownerDatabaseUrl");
      const wsProxy = inject("wsProxy");
      const name = `pm_mig_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
      const admin = createDb({ DATABASE_URL: owner, NEON_WS_PROXY: wsProxy });
      await admin.db.execute(sql.raw(`create database ${name}`));
      const url = new URL(owner);
      url.pathname = `/${name}`;
      try {
        await migrateDatabase(url.toString(), wsProxy);
        const first = await tableCount(url.toString(), wsProxy);
        await migrateDatabase(url.toString(), wsProxy);
        const second = await tableCount(url.toString(), wsProxy);
        expect(first.tables).toBeGreaterThan(5);
        expect(second).toEqual(first);
      } finally {
        await admin.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
        await admin.close();
      }
    } else {
      const stack = await startDbStack({});
      try {
        await migrateDatabase(stack.ownerUrl, stack.wsProxy);
        const first = await tableCount(stack.ownerUrl, stack.wsProxy);
        await migrateDatabase(stack.ownerUrl, stack.wsProxy);
        const second = await tableCount(stack.ownerUrl, stack.wsProxy);
        expect(first.tables).toBeGreaterThan(5);
        expect(second).toEqual(first);
      } finally {
        await stack.stop();
      }
    }
  }, 60_000);
});
