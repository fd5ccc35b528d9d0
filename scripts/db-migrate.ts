/**
 * `npm run db:migrate`: applies migrations/ as the schema owner. With DATABASE_URL (or
 * DATABASE_OWNER_URL) it migrates that server through the local proxy; without, the embedded
 * PGlite in .data/pglite. For Neon in production run it from CI with the direct owner URL.
 */
import { startDbStack } from "./lib/db-stack.ts";
import { migrateDatabase } from "./lib/migrate.ts";

const stack = await startDbStack({
  databaseUrl: process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL || undefined,
  dataDir: ".data/pglite",
});
try {
  await migrateDatabase(stack.ownerUrl, stack.wsProxy);
  console.log(`[db:migrate] migrations applied (${stack.kind})`);
} finally {
  await stack.stop();
}
