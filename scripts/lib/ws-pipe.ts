import type net from "node:net";
import type { WebSocket } from "ws";

/**
 * Pipes a WebSocket client to a TCP socket, both ways, with backpressure; either side closing
 * closes the other. `onClient` sees each client chunk after it was written (the unpooled proxy
 * watches for Terminate there). Used by ws-proxy.ts and, for sessions it does not pool, by
 * pg-session-pool.ts.
 */
export function pipeWs(ws: WebSocket, tcp: net.Socket, first: Buffer = Buffer.alloc(0), onClient?: (data: Buffer) => void): void {
  // Either side may already be gone (a refused connection, a client that left mid-login).
  if (tcp.destroyed || tcp.closed) {
    ws.close(1000);
    return;
  }
  if (ws.readyState !== ws.OPEN) {
    tcp.destroy();
    return;
  }
  if (first.length) tcp.write(first);
  ws.on("message", (data: Buffer) => {
    if (!tcp.write(data)) ws.pause();
    onClient?.(data);
  });
  tcp.on("drain", () => ws.resume());
  tcp.on("data", (chunk) => {
    tcp.pause();
    ws.send(chunk, () => tcp.resume());
  });
  tcp.on("close", () => ws.close(1000));
  tcp.on("error", () => undefined);
  ws.on("close", () => tcp.destroy());
  ws.on("error", () => tcp.destroy());
}
