import { neonConfig, Pool } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import type { Config } from "./config.ts";
import type { Logger } from "./log.ts";

/**
 * The only way the app reaches Postgres: the Neon serverless driver over WebSockets, one Pool per
 * request (Workers cannot share sockets across requests), closed in waitUntil by the caller.
 */
export type Db = NeonDatabase<Record<string, never>>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** The NOLOGIN role every tenant unit of work runs as (created by migration 0000_roles). */
export const APP_ROLE = "pm_app";

export interface DbHandle {
  db: Db;
  pool: Pool;
  close(): Promise<void>;
}

/**
 * `maxConnections` defaults to 4; the send consumer asks for 1 because its SMTP sessions take the
 * other five of the six connections a Worker invocation may hold open at once.
 */
export function createDb(cfg: Pick<Config, "DATABASE_URL" | "NEON_WS_PROXY">, log?: Logger, maxConnections = 4): DbHandle {
  if (cfg.NEON_WS_PROXY) {
    const proxy = cfg.NEON_WS_PROXY;
    // Local proxy (scripts/lib/ws-proxy.ts): plain ws://, and no pipelining — pglite-socket stops
    // answering everyone after the protocol error pipelined auth causes (TOOLCHAIN.md G3).
    neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({ connectionString: cfg.DATABASE_URL, max: maxConnections, connectionTimeoutMillis: 10_000 });
  // After pool.end() workerd reports the idle socket as lost; unhandled it would crash the request (G6).
  // Expected after pool.end() in workerd (idle sockets report "Network connection lost"): debug only.
  pool.on("error", (err: Error) => log?.debug("db.pool_error", { error: err.message }));
  const db = drizzle({ client: pool, casing: "snake_case" }) as unknown as Db;
  let closed = false;
  return {
    db,
    pool,
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => undefined);
    },
  };
}

export interface TxScope {
  /** Active tenant; null runs the unit of work with no tenant (sees no tenant rows). */
  tenantId: string | null;
  /** Acting user, for policies on user-owned rows (e.g. your own memberships in every tenant). */
  userId?: string | null;
  /**
   * Plan joins in the order they are written (join_collapse_limit = 1), for transactions whose
   * statements are written to be driven from a primary key: many-join statements otherwise spend
   * more time planning than running (the send path's select: 8.5 ms planning vs 1.9 ms).
   */
  joinsAsWritten?: boolean;
}

/**
 * Runs fn in one transaction as the app role with the tenant set transaction-locally. SET LOCAL
 * ROLE is required: PGlite treats every connection as superuser, which bypasses RLS (TOOLCHAIN.md
 * part B); against a real server the login role is a member of pm_app, so it is harmless there.
 * Inside fn use only `tx` — a second connection inside an open transaction hangs PGlite (G4).
 */
export async function runInTx<T>(db: Db, scope: TxScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('role', ${APP_ROLE}, true), set_config('app.tenant_id', ${scope.tenantId ?? ""}, true), set_config('app.user_id', ${scope.userId ?? ""}, true)${scope.joinsAsWritten ? sql`, set_config('join_collapse_limit', '1', true)` : sql``}`,
    );
    return fn(tx);
  });
}

/** A cheap round trip through the real driver, bounded so a dead database answers "down" quickly. */
export async function pingDb(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.execute(sql`select 1`).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
