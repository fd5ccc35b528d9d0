import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { probePostgres } from "./pg-probe.ts";

/**
 * PGlite exposed on the Postgres wire protocol, with a watchdog: pglite-socket stops answering
 * every client after one protocol error (TOOLCHAIN.md G3), so a probe that goes unanswered for
 * `hangAfterMs` restarts the socket server on the same port with the same data (see reopenPglite).
 */
export interface PgliteServer {
  port: number;
  restarts: number;
  restartSocket(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPglite(opts: {
  dataDir?: string;
  port: number;
  maxConnections?: number;
  hangAfterMs?: number;
  onEvent?: (msg: string) => void;
}): Promise<PgliteServer> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  let db: PGlite = await PGlite.create(opts.dataDir ? { dataDir: opts.dataDir } : {});
  // Pools open several sockets; the default of 1 answers the second with raw text (G2).
  const maxConnections = opts.maxConnections ?? 64;
  let server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: opts.port, maxConnections });
  await server.start();

  let stopped = false;
  let probing = false;
  const handle: PgliteServer = {
    port: opts.port,
    restarts: 0,
    async restartSocket() {
      await server.stop().catch(() => undefined);
      db = await reopenPglite(db, opts.dataDir);
      server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: opts.port, maxConnections });
      await server.start();
      handle.restarts++;
      opts.onEvent?.(`pglite socket server restarted (unresponsive); restart #${handle.restarts}`);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await server.stop().catch(() => undefined);
      // An un-closed PGlite keeps Node alive (G17).
      await db.close().catch(() => undefined);
    },
  };

  const hangAfterMs = opts.hangAfterMs ?? 20_000;
  const timer = setInterval(async () => {
    if (stopped || probing) return;
    probing = true;
    try {
      const ok = await probePostgres(opts.port, hangAfterMs);
      if (!ok && !stopped) await handle.restartSocket();
    } finally {
      probing = false;
    }
  }, 5_000);
  timer.unref();
  return handle;
}

/**
 * The G3 wedge is a FATAL (e.g. "unexpected EOF" during COPY FROM STDIN) that exits PGlite's one
 * backend: the instance is dead, and any further query on it, even ROLLBACK, spins the event loop
 * forever. So a restart re-opens the data in a fresh instance: the same directory, or an in-memory
 * copy of the old instance's files (committed rows are in its WAL; reading files needs no backend).
 */
async function reopenPglite(old: PGlite, dataDir: string | undefined): Promise<PGlite> {
  const dump = dataDir ? null : await old.dumpDataDir("none");
  await old.close().catch(() => undefined);
  return PGlite.create(dump ? { loadDataDir: dump } : { dataDir });
}
