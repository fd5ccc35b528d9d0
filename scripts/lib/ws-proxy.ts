import net from "node:net";
import { WebSocketServer } from "ws";
import { SessionPool } from "./pg-session-pool.ts";
import { pipeWs } from "./ws-pipe.ts";

/**
 * Local stand-in for Neon's WebSocket proxy: the Neon driver opens ws://HOST/v1?address=db:port
 * and speaks the Postgres wire protocol over it; we pipe it to TCP. Dev/test only, loopback only.
 */
export interface WsProxy {
  port: number;
  /** Present when sessions are pooled. */
  pool: SessionPool | null;
  close(): Promise<void>;
}

export async function startWsProxy(opts: { port?: number; allow: RegExp; pool?: boolean }): Promise<WsProxy> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: opts.port ?? 0, perMessageDeflate: false });
  const sockets = new Set<net.Socket>();
  const pool = opts.pool ? new SessionPool() : null;
  wss.on("connection", (ws, req) => {
    const address = new URL(req.url ?? "/", "http://x").searchParams.get("address") ?? "";
    if (!opts.allow.test(address)) {
      ws.close(1008, "address not allowed");
      return;
    }
    const i = address.lastIndexOf(":");
    const host = address.slice(0, i).replace(/^\[|\]$/g, "");
    if (pool) {
      pool.serve(ws, host, Number(address.slice(i + 1)));
      return;
    }
    const tcp = net.connect({ host, port: Number(address.slice(i + 1)) });
    sockets.add(tcp);
    tcp.setNoDelay(true);
    tcp.on("close", () => sockets.delete(tcp));
    const sawTerminate = terminateWatcher();
    // pglite-socket never closes on Terminate, so Client.end() would hang forever (G1).
    pipeWs(ws, tcp, undefined, (data) => {
      if (sawTerminate(data)) tcp.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  const port = (wss.address() as net.AddressInfo).port;
  return {
    port,
    pool,
    close: async () => {
      for (const s of sockets) s.destroy();
      await pool?.close();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Follows frontend message framing across chunks and reports a Terminate ('X') message. */
export function terminateWatcher(): (chunk: Buffer) => boolean {
  let buf = Buffer.alloc(0);
  let skip = 0;
  let startup = true;
  return (chunk) => {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      return false;
    }
    buf = Buffer.concat([buf, chunk.subarray(skip)]);
    skip = 0;
    for (;;) {
      if (buf.length < (startup ? 8 : 5)) return false;
      if (!startup && buf[0] === 0x58) return true;
      const len = startup ? buf.readInt32BE(0) : buf.readInt32BE(1) + 1;
      // An SSLRequest (80877103) is followed by the real startup message.
      if (startup) startup = buf.readInt32BE(4) === 80877103;
      if (buf.length >= len) buf = buf.subarray(len);
      else {
        skip = len - buf.length;
        buf = Buffer.alloc(0);
        return false;
      }
    }
  };
}
