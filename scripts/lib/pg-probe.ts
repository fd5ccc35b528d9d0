import net from "node:net";

/**
 * Minimal wire-protocol probe: startup → `select 1` → ReadyForQuery, over plain TCP. Used by the
 * supervisor's watchdog because a wedged pglite-socket accepts connections but never answers (G3).
 * Resolves true when the server answered within timeoutMs.
 */
export function probePostgres(port: number, timeoutMs: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let done = false;
    let buf = Buffer.alloc(0);
    let readyCount = 0;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (ok) sock.end(Buffer.from([0x58, 0, 0, 0, 4]));
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.on("error", () => finish(false));
    sock.on("connect", () => {
      const params = Buffer.from("user\0postgres\0database\0postgres\0\0");
      const head = Buffer.alloc(8);
      head.writeInt32BE(8 + params.length, 0);
      head.writeInt32BE(196608, 4);
      sock.write(Buffer.concat([head, params]));
    });
    sock.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 5) {
        const type = buf[0];
        const len = buf.readInt32BE(1) + 1;
        if (buf.length < len) break;
        buf = buf.subarray(len);
        if (type === 0x45 /* ErrorResponse */) return finish(false);
        if (type === 0x52 /* Authentication */ && buf.length === 0 && len > 9) return finish(true); // asks for a password: alive
        if (type === 0x5a /* ReadyForQuery */) {
          readyCount++;
          if (readyCount === 1) {
            const q = Buffer.from("select 1\0");
            const head = Buffer.alloc(5);
            head[0] = 0x51;
            head.writeInt32BE(4 + q.length, 1);
            sock.write(Buffer.concat([head, q]));
          } else return finish(true);
        }
      }
    });
  });
}
