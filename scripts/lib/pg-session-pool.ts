import net from "node:net";
import type { WebSocket } from "ws";
import { pipeWs } from "./ws-pipe.ts";

/**
 * Session pooling for the local WebSocket proxy, as Neon's pooled endpoint (PgBouncer) gives the
 * production Worker: a client that disconnects hands its server backend back, reset with
 * `DISCARD ALL`, and the next client with the same startup parameters gets it without a new
 * backend process (fork, authentication, cold catalog caches — about 20 ms here, plus slower
 * first plans). Only trust-authenticated sessions are pooled; anything else is piped as is.
 *
 * A backend goes back to the pool only when the client left on a message boundary and the reset
 * round trip ends in an idle ReadyForQuery; every other case closes it.
 */

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const PROTOCOL_3 = 196608;
const MAX_IDLE_PER_KEY = 16;
const IDLE_MS = 30_000;
const RESET_TIMEOUT_MS = 3_000;

interface Backend {
  tcp: net.Socket;
  /** What the server said between the startup message and its first ReadyForQuery. */
  hello: Buffer;
  idleTimer?: NodeJS.Timeout;
}

/** Follows message framing (type byte + int32 length) across chunks without copying bodies. */
export class FrameScanner {
  head = Buffer.alloc(0);
  need = 0;
  /** Calls `onStart(type, offset)` for each message that starts in `chunk`; a true return stops the scan. */
  scan(chunk: Buffer, onStart?: (type: number, offset: number) => boolean | undefined): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.need > 0) {
        const take = Math.min(this.need, chunk.length - i);
        this.need -= take;
        i += take;
        continue;
      }
      const start = i - this.head.length;
      const want = 5 - this.head.length;
      const take = Math.min(want, chunk.length - i);
      this.head = Buffer.concat([this.head, chunk.subarray(i, i + take)]);
      i += take;
      if (this.head.length < 5) return;
      const type = this.head[0]!;
      this.need = this.head.readInt32BE(1) - 4;
      this.head = Buffer.alloc(0);
      if (onStart?.(type, Math.max(start, 0))) return;
    }
  }
  get atBoundary(): boolean {
    return this.need === 0 && this.head.length === 0;
  }
}

/** Splits a stream into whole messages, starting `skip` bytes in (the rest of a message already passed). */
class Frames {
  #buf: Buffer;
  #skip: number;
  constructor(head = Buffer.alloc(0), skip = 0) {
    this.#buf = head;
    this.#skip = skip;
  }
  push(chunk: Buffer): { type: number; body: Buffer }[] {
    if (this.#skip >= chunk.length) {
      this.#skip -= chunk.length;
      return [];
    }
    this.#buf = Buffer.concat([this.#buf, chunk.subarray(this.#skip)]);
    this.#skip = 0;
    const out: { type: number; body: Buffer }[] = [];
    while (this.#buf.length >= 5) {
      const len = this.#buf.readInt32BE(1) + 1;
      if (this.#buf.length < len) break;
      out.push({ type: this.#buf[0]!, body: this.#buf.subarray(5, len) });
      this.#buf = this.#buf.subarray(len);
    }
    return out;
  }
}

const message = (type: string, body: string) => {
  const payload = Buffer.from(body);
  const head = Buffer.alloc(5);
  head[0] = type.charCodeAt(0);
  head.writeInt32BE(4 + payload.length, 1);
  return Buffer.concat([head, payload]);
};
// Sync ends any half-finished extended-protocol exchange; ROLLBACK ends an open transaction;
// DISCARD ALL drops prepared statements, settings, temp tables, advisory locks, LISTENs. The last
// query returns a marker unique to this reset, so replies to what the client still had in flight
// (even its own DISCARD ALL) are never taken for ours.
const reset = (marker: string) =>
  Buffer.concat([message("S", ""), message("Q", "ROLLBACK\0"), message("Q", "DISCARD ALL\0"), message("Q", `SELECT '${marker}'\0`)]);
const TERMINATE = message("X", "");

export class SessionPool {
  #idle = new Map<string, Backend[]>();
  #all = new Set<net.Socket>();
  /** Server connections opened and sessions served from the pool (for tests and the curious). */
  readonly stats = { opened: 0, reused: 0 };

  /** Serves one WebSocket client whose traffic goes to `host:port`. */
  serve(ws: WebSocket, host: string, port: number): void {
    let buf = Buffer.alloc(0);
    const onStartup = (data: Buffer) => {
      buf = Buffer.concat([buf, data]);
      while (buf.length >= 8) {
        const len = buf.readInt32BE(0);
        const code = buf.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSS_REQUEST) {
          ws.send(Buffer.from("N"));
          buf = buf.subarray(8);
          continue;
        }
        if (buf.length < len) return;
        ws.off("message", onStartup);
        const startup = buf.subarray(0, len);
        const rest = buf.subarray(len);
        // CancelRequest and anything else but a v3 startup: a plain pipe to a fresh connection.
        if (code !== PROTOCOL_3) pipeWs(ws, this.#connect(host, port), Buffer.concat([startup, rest]));
        else void this.#session(ws, host, port, startup, rest);
        return;
      }
    };
    ws.on("message", onStartup);
  }

  async close(): Promise<void> {
    for (const list of this.#idle.values()) for (const b of list) clearTimeout(b.idleTimer);
    for (const s of this.#all) s.destroy();
    this.#all.clear();
    this.#idle.clear();
  }

  #connect(host: string, port: number): net.Socket {
    const tcp = net.connect({ host, port });
    this.stats.opened++;
    tcp.setNoDelay(true);
    this.#all.add(tcp);
    tcp.on("close", () => this.#all.delete(tcp));
    tcp.on("error", () => undefined);
    return tcp;
  }

  async #session(ws: WebSocket, host: string, port: number, startup: Buffer, first: Buffer): Promise<void> {
    const key = `${host}:${port}\0${startup.subarray(8).toString("binary")}`;
    // Whatever the client sends while its backend is found or started is kept, in order.
    let rest = first;
    const early = (data: Buffer) => {
      rest = Buffer.concat([rest, data]);
    };
    ws.on("message", early);
    const idle = this.#idle.get(key);
    let backend: Backend | undefined;
    while (idle?.length && !backend) {
      const b = idle.pop()!;
      clearTimeout(b.idleTimer);
      if (!b.tcp.destroyed) backend = b;
    }
    if (backend) this.stats.reused++;
    if (!backend) {
      const tcp = this.#connect(host, port);
      const hello = await this.#handshake(tcp, startup);
      if (hello.kind === "other") {
        // Not a plain trust login (password exchange, error): the client talks to this backend itself.
        ws.off("message", early);
        if (ws.readyState === ws.OPEN) ws.send(hello.bytes);
        pipeWs(ws, tcp, rest);
        return;
      }
      backend = { tcp, hello: hello.bytes };
    }
    ws.off("message", early);
    if (ws.readyState !== ws.OPEN) {
      this.#release(key, backend, true);
      return;
    }
    ws.send(backend.hello);
    this.#attach(ws, key, backend, rest);
  }

  /** Sends the startup message and collects the answer up to ReadyForQuery when it is AuthenticationOk. */
  #handshake(tcp: net.Socket, startup: Buffer): Promise<{ kind: "ok" | "other"; bytes: Buffer }> {
    return new Promise((resolve) => {
      const frames = new Frames();
      const got: Buffer[] = [];
      let first = true;
      const done = (kind: "ok" | "other") => {
        tcp.off("data", onData);
        tcp.off("close", onClose);
        resolve({ kind, bytes: Buffer.concat(got) });
      };
      const onData = (chunk: Buffer) => {
        got.push(chunk);
        for (const m of frames.push(chunk)) {
          const authOk = m.type === 0x52 && m.body.readInt32BE(0) === 0;
          if (first && !authOk) return done("other");
          first = false;
          if (m.type === 0x45) return done("other");
          if (m.type === 0x5a) return done("ok");
        }
      };
      const onClose = () => done("other");
      tcp.on("data", onData);
      tcp.on("close", onClose);
      tcp.write(startup);
    });
  }

  #attach(ws: WebSocket, key: string, backend: Backend, rest: Buffer): void {
    const { tcp } = backend;
    const fromClient = new FrameScanner();
    const fromServer = new FrameScanner();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      tcp.off("data", onServer);
      tcp.off("drain", onDrain);
      tcp.off("close", onServerClose);
      ws.off("message", onClient);
      tcp.resume();
      // A client that left mid-message left the server waiting for the rest: that backend is spent.
      if (!fromClient.atBoundary) return this.#release(key, backend, true);
      void this.#reset(key, backend, new Frames(fromServer.head, fromServer.need));
    };
    const forward = (data: Buffer) => {
      let end = data.length;
      let terminated = false;
      // The client's Terminate is not passed on: the backend stays open for the next client.
      fromClient.scan(data, (type, offset) => {
        if (type !== 0x58) return false;
        end = offset;
        terminated = true;
        return true;
      });
      if (end > 0 && !tcp.write(end === data.length ? data : data.subarray(0, end))) ws.pause();
      if (terminated) {
        release();
        ws.close(1000);
      }
    };
    const onClient = (data: Buffer) => forward(data);
    const onDrain = () => ws.resume();
    const onServer = (chunk: Buffer) => {
      fromServer.scan(chunk);
      tcp.pause();
      ws.send(chunk, () => {
        if (!released) tcp.resume();
      });
    };
    const onServerClose = () => ws.close(1000);
    ws.on("message", onClient);
    tcp.on("drain", onDrain);
    tcp.on("data", onServer);
    tcp.on("close", onServerClose);
    ws.on("close", release);
    ws.on("error", release);
    if (rest.length) forward(rest);
  }

  #reset(key: string, backend: Backend, frames: Frames): void {
    const { tcp } = backend;
    const marker = `pm_pool_reset_${Math.random().toString(36).slice(2)}`;
    // The tag of the last command completed before the marker query's row description: ours
    // succeeded only if that is our DISCARD ALL.
    let lastTag = "";
    let tagBeforeMarker = "";
    let sawMarker = false;
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      tcp.off("data", onData);
      tcp.off("close", onClose);
      this.#release(key, backend, !ok);
    };
    const onData = (chunk: Buffer) => {
      for (const m of frames.push(chunk)) {
        if (m.type === 0x43) lastTag = m.body.toString("latin1");
        else if (m.type === 0x54) tagBeforeMarker = lastTag;
        else if (m.type === 0x44 && m.body.includes(marker)) sawMarker = true;
        else if (m.type === 0x5a && sawMarker) return finish(tagBeforeMarker === "DISCARD ALL\0" && m.body[0] === 0x49);
      }
    };
    const onClose = () => finish(false);
    const timer = setTimeout(() => finish(false), RESET_TIMEOUT_MS);
    timer.unref();
    tcp.on("data", onData);
    tcp.on("close", onClose);
    tcp.write(reset(marker));
  }

  #release(key: string, backend: Backend, destroy: boolean): void {
    const { tcp } = backend;
    const idle = this.#idle.get(key) ?? [];
    if (destroy || tcp.destroyed || idle.length >= MAX_IDLE_PER_KEY) {
      if (!tcp.destroyed) tcp.end(TERMINATE);
      return;
    }
    backend.idleTimer = setTimeout(() => {
      const list = this.#idle.get(key);
      const i = list?.indexOf(backend) ?? -1;
      if (i >= 0) list!.splice(i, 1);
      tcp.end(TERMINATE);
    }, IDLE_MS);
    backend.idleTimer.unref();
    idle.push(backend);
    this.#idle.set(key, idle);
  }
}
