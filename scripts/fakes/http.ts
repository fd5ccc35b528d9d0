import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Plumbing shared by the vendor fakes: each is a real HTTP server on 127.0.0.1 so the real clients
 * run unchanged against it (ARCHITECTURE.md §4.4: fakes beside ports, no module mocking).
 */
export interface FakeServer<S> {
  /** Base URL to hand to the client. */
  url: string;
  /** The fake's in-memory data, for tests to inspect and seed. */
  state: S;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void | Promise<void>;

const MAX_BODY = 1 << 20;

export async function serve(port: number, handler: Handler): Promise<{ server: http.Server; origin: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => {
      if (size > MAX_BODY) return sendText(res, 413, "Request Entity Too Large");
      Promise.resolve(handler(req, res, Buffer.concat(chunks).toString("utf8"))).catch((err: unknown) => {
        if (!res.headersSent) sendText(res, 500, `fake server error: ${(err as Error).message}`);
        else res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, origin, close };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(`${JSON.stringify(body)}\n`);
}

export function sendText(res: http.ServerResponse, status: number, text: string, type = "text/plain"): void {
  res.writeHead(status, { "content-type": type });
  res.end(text);
}

/** The client address a vendor would see: X-Real-IP behind its proxy, else the socket. */
export function clientIp(req: http.IncomingMessage): string {
  const real = req.headers["x-real-ip"];
  const ip = (typeof real === "string" && real) || req.socket.remoteAddress || "0.0.0.0";
  return ip.replace(/^::ffff:/, "");
}

/** A sliding-window counter: `hit()` records, `count()` says how many fall in the window. */
export function slidingWindow(windowMs: number) {
  const hits = new Map<string, number[]>();
  const live = (key: string, now: number) => (hits.get(key) ?? []).filter((t) => now - t < windowMs);
  return {
    hit(key: string, now = Date.now()) {
      const h = live(key, now);
      h.push(now);
      hits.set(key, h);
    },
    count(key: string, now = Date.now()) {
      return live(key, now).length;
    },
    oldest(key: string, now = Date.now()) {
      return live(key, now)[0];
    },
    reset() {
      hits.clear();
    },
  };
}
