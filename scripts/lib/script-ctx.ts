import { type Config, parseConfigFrom } from "../../workers/platform/config.ts";
import { buildCtx, type RequestScope } from "../../workers/platform/context.ts";
import { createLogger } from "../../workers/platform/log.ts";

/** A system context for scripts (seed, maintenance), built from the same config parser as the Worker. */
export function scriptCtx(
  raw: Record<string, unknown>,
  reason: string,
): { ctx: RequestScope; config: Config; pending: Promise<unknown>[] } {
  const config = parseConfigFrom(raw);
  const pending: Promise<unknown>[] = [];
  const ctx = buildCtx({
    requestId: `script-${reason}`,
    config,
    log: createLogger({ script: reason }, "warn"),
    waitUntil: (p) => pending.push(p),
  });
  ctx.actor = { kind: "system", userId: null, reason };
  return { ctx, config, pending };
}

/**
 * For one-off scripts: the database (DATABASE_URL or the embedded one in .data/pglite), migrated, and
 * a system context on it; everything is closed after `fn`, whatever happens.
 */
export async function withScriptDb<T>(reason: string, fn: (ctx: RequestScope) => Promise<T>): Promise<T> {
  const { startDbStack } = await import("./db-stack.ts");
  const { migrateDatabase } = await import("./migrate.ts");
  const { devSecret } = await import("./dev-secret.ts");
  const { wranglerVars } = await import("./wrangler-vars.ts");
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
      reason,
    );
    try {
      return await fn(ctx);
    } finally {
      await ctx.dispose();
    }
  } finally {
    await stack.stop();
  }
}
