/** `npm run db:seed`: the demo tenant and login (idempotent), on DATABASE_URL or the embedded database. */
import { startDbStack } from "./lib/db-stack.ts";
import { devSecret } from "./lib/dev-secret.ts";
import { migrateDatabase } from "./lib/migrate.ts";
import { scriptCtx } from "./lib/script-ctx.ts";
import { DEMO, seedDemo } from "./lib/seed.ts";
import { wranglerVars } from "./lib/wrangler-vars.ts";

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
    "db-seed",
  );
  const r = await seedDemo(ctx);
  await ctx.dispose();
  console.log(`[db:seed] ${r.created ? "created" : "already present"}: ${DEMO.email} / ${DEMO.password}`);
} finally {
  await stack.stop();
}
