import { type Context, Hono } from "hono";
import { parseConfig } from "../platform/config.ts";
import { createLogger } from "../platform/log.ts";
import { clientIp, requestIdFrom } from "../platform/request.ts";
import { classifyHit } from "../tracking/bots.ts";
import { bufferHit } from "../tracking/buffer.ts";
import { type TrackClaims, verifyTrack } from "../tracking/token.ts";
import type { AppEnv } from "./types.ts";

/**
 * Open pixel and click redirect: answer first from the signed token alone, then queue the event in
 * waitUntil. A bad token never errors: the pixel is still a GIF, a click is a 404 page.
 *
 * Mounted ahead of the per-request context middleware (api/app.ts), so a hit builds no context, no
 * logger and no request id unless the enqueue fails; it reads only the memoised config, the
 * request and the EVENTS_QUEUE binding. bench/tracking measures these routes.
 */
const GIF = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (c) => c.charCodeAt(0));
// A Headers object built once (plain data, no I/O): each response copies it, which is cheaper than
// building one from an object literal on every pixel (3.4 vs 4.6 µs a response in workerd). Each
// header costs the runtime a few µs more per response, so there are two: workerd writes the
// Content-Length of a fixed body itself, and no-store alone keeps every cache from storing the pixel.
const PIXEL_HEADERS = new Headers({ "content-type": "image/gif", "cache-control": "no-store, private" });
const pixel = () => new Response(GIF, { headers: PIXEL_HEADERS });

export const trackingRoutes = new Hono<AppEnv>()
  .on(["GET", "HEAD"], "/o/:token", async (c) => {
    const token = c.req.param("token");
    const claims = await verifyTrack(parseConfig(c.env).AUTH_SECRET, token.endsWith(".gif") ? token.slice(0, -4) : token);
    if (claims) queueHit(c, claims, "opened");
    return pixel();
  })
  .on(["GET", "HEAD"], "/c/:token", async (c) => {
    const claims = await verifyTrack(parseConfig(c.env).AUTH_SECRET, c.req.param("token"));
    if (!claims?.u) return c.text("This link is not valid.", 404);
    queueHit(c, claims, "clicked");
    return c.redirect(claims.u, 302);
  });

// The benchmark's baseline (bench/tracking): a bare 204 at the same place in the routing table as
// the pixel and redirect, and a control that answers the pixel's GIF with no tracking work (what
// serving the image alone costs). Registered only in a test build (Vite sets MODE "test"; `npm run
// dev` is "development" and the deploy build is "production", where the branch is folded away), and
// answered only when the Worker also runs with APP_ENV=test — so production routing never has them.
if (import.meta.env.MODE === "test") {
  trackingRoutes.get("/ping", (c) => (parseConfig(c.env).APP_ENV === "test" ? c.body(null, 204) : c.notFound()));
  trackingRoutes.get("/ping.gif", (c) => (parseConfig(c.env).APP_ENV === "test" ? pixel() : c.notFound()));
}

function queueHit(c: Context<AppEnv>, claims: TrackClaims, type: "opened" | "clicked") {
  const now = Date.now();
  const req = c.req.raw as Request & { cf?: { asOrganization?: string } };
  const flag = classifyHit({
    method: req.method,
    userAgent: req.headers.get("user-agent"),
    ip: clientIp(req),
    asOrganization: req.cf?.asOrganization ?? null,
    sentAt: claims.at,
    now,
    kind: type === "opened" ? "open" : "click",
  });
  bufferHit(
    c.env.EVENTS_QUEUE,
    {
      tenantId: claims.t,
      campaignId: claims.c,
      sendId: claims.s,
      type,
      at: now,
      flag,
      ...(claims.u ? { url: claims.u } : {}),
    },
    (p) => c.executionCtx.waitUntil(p),
    (err, hits) =>
      createLogger({ requestId: requestIdFrom(req) }, parseConfig(c.env).LOG_LEVEL).error("tracking.enqueue_failed", { error: err, hits }),
  );
}
