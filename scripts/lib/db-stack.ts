import { startPglite } from "./pglite-server.ts";
import { freePort } from "./ports.ts";
import { startWsProxy } from "./ws-proxy.ts";

/**
 * The local database path the Neon driver expects: a WebSocket→TCP proxy in front of either an
 * embedded PGlite (default) or a real PostgreSQL server (DATABASE_URL). In production there is no
 * proxy: DATABASE_URL is the Neon URL and the driver talks to Neon's own WebSocket endpoint.
 */
export interface DbStack {
  kind: "pglite" | "postgres";
  /** URL the app connects with (a non-owner role on a real server when one was provisioned). */
  appUrl: string;
  /** URL migrations run with (the schema owner). */
  ownerUrl: string;
  /** host:port for NEON_WS_PROXY. */
  wsProxy: string;
  stop(): Promise<void>;
}

export interface DbStackOptions {
  databaseUrl?: string;
  ownerUrl?: string;
  /** PGlite data directory; omitted = in memory. */
  dataDir?: string;
  proxyPort?: number;
  onEvent?: (msg: string) => void;
}

export async function startDbStack(opts: DbStackOptions): Promise<DbStack> {
  if (opts.databaseUrl) {
    const target = new URL(opts.databaseUrl);
    const hostPort = `${target.hostname}:${target.port || "5432"}`;
    // Pooled like Neon's pooled endpoint; PM_DB_POOL=0 gives every client its own backend.
    const proxy = await startWsProxy({
      port: opts.proxyPort,
      allow: new RegExp(`^${escapeRe(hostPort)}$`),
      pool: process.env.PM_DB_POOL !== "0",
    });
    return {
      kind: "postgres",
      appUrl: opts.databaseUrl,
      ownerUrl: opts.ownerUrl ?? opts.databaseUrl,
      wsProxy: `127.0.0.1:${proxy.port}`,
      stop: () => proxy.close(),
    };
  }
  const pgPort = await freePort();
  const pglite = await startPglite({ dataDir: opts.dataDir, port: pgPort, onEvent: opts.onEvent });
  const proxy = await startWsProxy({ port: opts.proxyPort, allow: new RegExp(`^127\\.0\\.0\\.1:${pgPort}$`) });
  // PGlite has no auth: any user/password is accepted and every session is superuser.
  const url = `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`;
  return {
    kind: "pglite",
    appUrl: url,
    ownerUrl: url,
    wsProxy: `127.0.0.1:${proxy.port}`,
    stop: async () => {
      await proxy.close();
      await pglite.stop();
    },
  };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
