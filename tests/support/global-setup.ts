import type { TestProject } from "vitest/node";
import { type DbStack, startDbStack } from "../../scripts/lib/db-stack.ts";
import { ensureAppLogin, migrateDatabase } from "../../scripts/lib/migrate.ts";
import { startSmtpSink } from "./smtp-sink.ts";

declare module "vitest" {
  interface ProvidedContext {
    databaseUrl: string;
    ownerDatabaseUrl: string;
    wsProxy: string;
    dbKind: "pglite" | "postgres";
    smtpPort: number;
    smtpLogUrl: string;
  }
}

/**
 * One database for the whole run, shared by both projects: scripts/test.ts starts it and passes
 * PM_TEST_* variables; a bare `npx vitest` starts its own here. Embedded PGlite in memory by
 * default; DATABASE_URL runs the same suite on a real server, as a non-owner login role.
 */
interface Shared {
  refs: number;
  stack: DbStack | null;
  smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  env: { databaseUrl: string; ownerDatabaseUrl: string; wsProxy: string; dbKind: "pglite" | "postgres" };
}
const g = globalThis as unknown as { __pmTestDb?: Promise<Shared> };

async function start(): Promise<Shared> {
  const e = process.env;
  if (e.PM_TEST_DATABASE_URL && e.PM_TEST_WS_PROXY) {
    return {
      refs: 0,
      stack: null,
      smtp: await startSmtpSink(),
      env: {
        databaseUrl: e.PM_TEST_DATABASE_URL,
        ownerDatabaseUrl: e.PM_TEST_OWNER_DATABASE_URL ?? e.PM_TEST_DATABASE_URL,
        wsProxy: e.PM_TEST_WS_PROXY,
        dbKind: (e.PM_TEST_DB_KIND as "pglite" | "postgres") ?? "pglite",
      },
    };
  }
  const stack = await startDbStack({ databaseUrl: e.DATABASE_URL || undefined });
  await migrateDatabase(stack.ownerUrl, stack.wsProxy);
  const databaseUrl = stack.kind === "postgres" ? await ensureAppLogin(stack.ownerUrl, stack.wsProxy) : stack.appUrl;
  return {
    refs: 0,
    stack,
    smtp: await startSmtpSink(),
    env: { databaseUrl, ownerDatabaseUrl: stack.ownerUrl, wsProxy: stack.wsProxy, dbKind: stack.kind },
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
  return async () => {
    shared.refs--;
    if (shared.refs === 0) {
      await shared.smtp.close();
      await shared.stack?.stop();
      g.__pmTestDb = undefined;
    }
  };
}
