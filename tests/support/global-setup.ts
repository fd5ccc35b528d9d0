import { sql } from "drizzle-orm";
import type { TestProject } from "vitest/node";
import { startFakeCloudflare } from "../../scripts/fakes/cloudflare-fake.ts";
import { startFakeHostwinds } from "../../scripts/fakes/hostwinds-fake.ts";
import { startFakeMailu } from "../../scripts/fakes/mailu-fake.ts";
import { type DbStack, startDbStack } from "../../scripts/lib/db-stack.ts";
import { ensureAppLogin, migrateDatabase } from "../../scripts/lib/migrate.ts";
import { createDb } from "../../workers/platform/db.ts";
import { startSmtpSink } from "./smtp-sink.ts";

declare module "vitest" {
  interface ProvidedContext {
    databaseUrl: string;
    ownerDatabaseUrl: string;
    wsProxy: string;
    dbKind: "pglite" | "postgres";
    smtpPort: number;
    smtpLogUrl: string;
    dohUrl: string;
    cloudflareUrl: string;
    mailuUrl: string;
    hostwindsUrl: string;
  }
}

/**
 * One database for the whole run, shared by both projects. Embedded PGlite in memory by default.
 * With DATABASE_URL (a real server, as its owner) the run creates a fresh database of its own,
 * migrates it and connects the app as a non-owner login role; it is dropped afterwards, so runs
 * never see each other's data or a migration history from an older checkout.
 */
interface Shared {
  refs: number;
  stack: DbStack;
  smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  dns: Awaited<ReturnType<typeof startFakeCloudflare>>;
  mailu: Awaited<ReturnType<typeof startFakeMailu>>;
  hostwinds: Awaited<ReturnType<typeof startFakeHostwinds>>;
  dropDatabase: (() => Promise<void>) | null;
  env: { databaseUrl: string; ownerDatabaseUrl: string; wsProxy: string; dbKind: "pglite" | "postgres" };
}
const g = globalThis as unknown as { __pmTestDb?: Promise<Shared> };

async function start(): Promise<Shared> {
  const serverUrl = process.env.DATABASE_URL || undefined;
  const stack = await startDbStack({ databaseUrl: serverUrl });
  let ownerUrl = stack.ownerUrl;
  let dropDatabase: Shared["dropDatabase"] = null;
  if (stack.kind === "postgres") {
    const run = await createRunDatabase(stack.ownerUrl, stack.wsProxy);
    ownerUrl = run.url;
    dropDatabase = run.drop;
  }
  await migrateDatabase(ownerUrl, stack.wsProxy);
  const databaseUrl = stack.kind === "postgres" ? await ensureAppLogin(ownerUrl, stack.wsProxy) : stack.appUrl;
  // Public DNS as the tests see it (DNS-over-HTTPS from the Cloudflare fake): tracking-domain CNAMEs.
  // The same fake is the customers' Cloudflare DNS API (zone CF_TEST_ZONE, token test-cf-token).
  const dns = await startFakeCloudflare({
    token: "test-cf-token-0123456789abcdef",
    zones: [{ name: "cfzone.test", id: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" }],
  });
  dns.state.external.push(
    { name: "track.good-customer.test", type: "CNAME", content: "track.penguinmails.test" },
    { name: "track.wrong-customer.test", type: "CNAME", content: "elsewhere.example" },
    { name: "track.contested.test", type: "CNAME", content: "track.penguinmails.test" },
  );
  dns.state.servfail.add("track.flaky-dns.test");
  // Vendor fakes for infrastructure tests: one MailU stands in for every node's admin API.
  const mailu = await startFakeMailu({ token: "test-mailu-bootstrap-token" });
  const hostwinds = await startFakeHostwinds({ apiKey: "test-hostwinds-key" });
  return {
    refs: 0,
    stack,
    dns,
    mailu,
    hostwinds,
    smtp: await startSmtpSink(),
    dropDatabase,
    env: { databaseUrl, ownerDatabaseUrl: ownerUrl, wsProxy: stack.wsProxy, dbKind: stack.kind },
  };
}

/** CREATE DATABASE pm_test_<time>_<rand>; also drops leftovers of crashed runs older than an hour. */
async function createRunDatabase(serverUrl: string, wsProxy: string) {
  const admin = createDb({ DATABASE_URL: serverUrl, NEON_WS_PROXY: wsProxy });
  const name = `pm_test_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  try {
    const old = await admin.db.execute<{ datname: string }>(sql`select datname from pg_database where datname like 'pm_test_%'`);
    for (const { datname } of old.rows) {
      const born = Number(datname.split("_")[2]);
      if (Number.isFinite(born) && Date.now() - born > 3600_000)
        await admin.db.execute(sql.raw(`drop database if exists "${datname}" with (force)`));
    }
    await admin.db.execute(sql.raw(`create database "${name}"`));
  } finally {
    await admin.close();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const h = createDb({ DATABASE_URL: serverUrl, NEON_WS_PROXY: wsProxy });
      try {
        await h.db.execute(sql.raw(`drop database if exists "${name}" with (force)`));
      } finally {
        await h.close();
      }
    },
  };
}

export default async function setup(project: TestProject) {
  g.__pmTestDb ??= start();
  const shared = await g.__pmTestDb;
  shared.refs++;
  project.provide("databaseUrl", shared.env.databaseUrl);
  project.provide("ownerDatabaseUrl", shared.env.ownerDatabaseUrl);
  project.provide("wsProxy", shared.env.wsProxy);
  project.provide("dbKind", shared.env.dbKind);
  project.provide("smtpPort", shared.smtp.smtpPort);
  project.provide("smtpLogUrl", shared.smtp.logUrl);
  project.provide("dohUrl", shared.dns.dohUrl);
  project.provide("cloudflareUrl", shared.dns.url);
  project.provide("mailuUrl", shared.mailu.url);
  project.provide("hostwindsUrl", shared.hostwinds.url);
  return async () => {
    shared.refs--;
    if (shared.refs === 0) {
      await shared.smtp.close();
      await shared.dns.close();
      await shared.mailu.close();
      await shared.hostwinds.close();
      await shared.dropDatabase?.().catch((err) => console.warn("could not drop the run's database:", err));
      await shared.stack.stop();
      g.__pmTestDb = undefined;
    }
  };
}
