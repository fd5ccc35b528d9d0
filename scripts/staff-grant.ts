/**
 * `npm run staff:grant -- <email> <super_admin|admin|support|qa>`: gives an existing user a
 * PenguinMails staff role (bootstrap for the platform admin routes under /api/v1/platform/*).
 * Uses DATABASE_URL when set, else the embedded database in .data/pglite (stop `npm run dev` first:
 * PGlite opens a data directory from one process at a time).
 */
import { grantStaffRole } from "../workers/staff/service.ts";
import { startDbStack } from "./lib/db-stack.ts";
import { devSecret } from "./lib/dev-secret.ts";
import { migrateDatabase } from "./lib/migrate.ts";
import { scriptCtx } from "./lib/script-ctx.ts";
import { wranglerVars } from "./lib/wrangler-vars.ts";

const [email, role] = process.argv.slice(2);
const ROLES = ["super_admin", "admin", "support", "qa"] as const;
if (!email || !ROLES.includes(role as (typeof ROLES)[number])) {
  console.error(`usage: npm run staff:grant -- <email> <${ROLES.join("|")}>`);
  process.exit(2);
}
const stack = await startDbStack({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: ".data/pglite" });
try {
  await migrateDatabase(stack.ownerUrl, stack.wsProxy);
  const { ctx } = scriptCtx(
    {
      ...wranglerVars(),
      DATABASE_URL: stack.appUrl,
      NEON_WS_PROXY: stack.wsProxy,
      AUTH_SECRET: process.env.AUTH_SECRET || devSecret(".data/dev-secret"),
    },
    "staff-grant",
  );
  const r = await grantStaffRole(ctx, email, role as (typeof ROLES)[number]);
  await ctx.dispose();
  console.log(`[staff:grant] ${email} (${r.userId}) is now ${r.role}`);
} catch (err) {
  console.error(`[staff:grant] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await stack.stop();
}
