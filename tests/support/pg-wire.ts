import net from "node:net";

/**
 * Just enough of the Postgres frontend protocol for tests that must go below the driver: building
 * raw messages (terminateWatcher) and one simple query over plain TCP (the PGlite watchdog).
 */
export function frontend(type: string, body: string | Buffer): Buffer {
  const payload = typeof body === "string" ? Buffer.from(body) : body;
  const head = Buffer.alloc(5);
  head[0] = type.charCodeAt(0);
  head.writeInt32BE(4 + payload.length, 1);
  return Buffer.concat([head, payload]);
}

export const query = (sqlText: string) => frontend("Q", `${sqlText}\0`);
export const terminate = () => frontend("X", "");

/** StartupMessage, protocol 3.0: no type byte, length then version then key/value pairs. */
export function startupMessage(user = "postgres", database = "postgres"): Buffer {
  const params = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, params]);
}

export function sslRequest(): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(8, 0);
  b.writeInt32BE(80877103, 4);
  return b;
}

export interface WireResult {
  rows: (string | null)[][];
  /** "SEVERITY: message" for each ErrorResponse. */
  errors: string[];
  /** The server closed the connection before answering ReadyForQuery. */
  closed: boolean;
}

/** Startup, then one simple query; resolves at its ReadyForQuery or when the server hangs up. */
export function simpleQuery(port: number, sqlText: string, timeoutMs = 5_000): Promise<WireResult> {
  return new Promise((resolve, reject) => {
    const out: WireResult = { rows: [], errors: [], closed: false };
    const sock = net.connect({ host: "127.0.0.1", port });
    let buf = Buffer.alloc(0);
    let ready = 0;
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(out);
    };
    const timer = setTimeout(() => settle(new Error(`no answer to "${sqlText}" within ${timeoutMs} ms`)), timeoutMs);
    sock.on("connect", () => sock.write(startupMessage()));
    sock.on("error", settle);
    sock.on("close", () => {
      out.closed = true;
      settle();
    });
    sock.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 5 && buf.length >= buf.readInt32BE(1) + 1) {
        const end = buf.readInt32BE(1) + 1;
        const type = String.fromCharCode(buf[0] ?? 0);
        const body = buf.subarray(5, end);
        buf = buf.subarray(end);
        if (type === "D") out.rows.push(dataRow(body));
        else if (type === "E") out.errors.push(errorText(body));
        else if (type === "Z" && ++ready === 1) sock.write(query(sqlText));
        else if (type === "Z") return settle();
      }
    });
  });
}

function dataRow(body: Buffer): (string | null)[] {
  const cols: (string | null)[] = [];
  let at = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const len = body.readInt32BE(at);
    at += 4;
    cols.push(len < 0 ? null : body.toString("utf8", at, at + len));
    at += Math.max(len, 0);
  }
  return cols;
}

function errorText(body: Buffer): string {
  const fields = new Map<string, string>();
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const end = body.indexOf(0, at + 1);
    fields.set(String.fromCharCode(body[at] ?? 0), body.toString("utf8", at + 1, end));
    at = end + 1;
  }
  return `${fields.get("S")}: ${fields.get("M")}`;
}
