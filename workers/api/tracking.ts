import { type Context, Hono } from "hono";
import { classifyHit } from "../tracking/bots.ts";
import { bufferHit } from "../tracking/buffer.ts";
import { verifyTrack } from "../tracking/token.ts";
import type { AppEnv } from "./types.ts";

/**
 * Open pixel and click redirect: answer first from the signed token alone, then queue the event in
 * waitUntil. A bad token never errors: the pixel is still a GIF, a click is a 404 page.
 */
const GIF = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (c) => c.charCodeAt(0));
const pixel = () =>
  new Response(GIF, {
    headers: {
      "content-type": "image/gif",
      "cache-control": "no-store, no-cache, must-revalidate, private",
      "content-length": String(GIF.length),
    },
  });

export const trackingRoutes = new Hono<AppEnv>()
  // The benchmark's baseline: the same middleware stack, no token, no work.
  .get("/ping", (c) => c.body(null, 204))
  .on(["GET", "HEAD"], "/o/:token", async (c) => {
    const claims = await verifyTrack(c.var.ctx.config.AUTH_SECRET, c.req.param("token").replace(/\.gif$/, ""));
    if (claims) queueHit(c, claims, "opened");
    return pixel();
  })
  .on(["GET", "HEAD"], "/c/:token", async (c) => {
    const claims = await verifyTrack(c.var.ctx.config.AUTH_SECRET, c.req.param("token"));
    if (!claims?.u) return c.text("This link is not valid.", 404);
    queueHit(c, claims, "clicked");
    return c.redirect(claims.u, 302);
  });

function queueHit(c: Context<AppEnv>, claims: { t: string; s: string; c: string; at: number; u?: string }, type: "opened" | "clicked") {
  const now = Date.now();
  const cf = (c.req.raw as Request & { cf?: { asOrganization?: string } }).cf;
  const flag = classifyHit({
    method: c.req.method,
    userAgent: c.req.header("user-agent") ?? null,
    ip: c.var.ctx.ip,
    asOrganization: cf?.asOrganization ?? null,
    sentAt: claims.at,
    now,
    kind: type === "opened" ? "open" : "click",
  });
  bufferHit(
    c.env.EVENTS_QUEUE,
    {
      kind: "track",
      tenantId: claims.t,
      campaignId: claims.c,
      sendId: claims.s,
      type,
      at: now,
      flag,
      ...(claims.u ? { url: claims.u } : {}),
    },
    (p) => c.executionCtx.waitUntil(p),
    (err) => c.var.ctx.log.error("tracking.enqueue_failed", { error: err }),
  );
}
