import { Hono } from "hono";
import { html } from "hono/html";
import { unsubscribe } from "../sending/unsubscribe.ts";
import { verifyUnsubscribe } from "../sending/unsubscribe-token.ts";
import type { AppEnv } from "./types.ts";

/**
 * Public unsubscribe paths. POST /t/u/:token is the RFC 8058 one-click endpoint (no login, no
 * confirmation, always 2xx for a valid token); GET shows a page with a confirm button for people who
 * click the footer link (mail scanners fetch links with GET, so GET alone never unsubscribes).
 */
const page = (title: string, body: ReturnType<typeof html>) =>
  html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:flex;min-height:100vh;align-items:center;justify-content:center;margin:0}
main{background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:32px;max-width:420px}button{background:#1f57d1;color:#fff;border:0;border-radius:6px;padding:10px 16px;font-size:15px;cursor:pointer}</style></head>
<body><main>${body}</main></body></html>`;

export const unsubscribeRoutes = new Hono<AppEnv>()
  .post("/:token", async (c) => {
    const claims = await verifyUnsubscribe(c.var.ctx.config.AUTH_SECRET, c.req.param("token"));
    if (!claims) return c.text("Unknown or damaged unsubscribe link.", 404);
    await unsubscribe(c.var.ctx, claims);
    const accepts = c.req.header("accept") ?? "";
    if (accepts.includes("text/html"))
      return c.html(
        page("Unsubscribed", html`<h1>You are unsubscribed</h1><p>${claims.e} will not receive more e-mail from this sender.</p>`),
      );
    return c.text("Unsubscribed.", 200);
  })
  .get("/:token", async (c) => {
    const claims = await verifyUnsubscribe(c.var.ctx.config.AUTH_SECRET, c.req.param("token"));
    if (!claims)
      return c.html(
        page("Link not valid", html`<h1>This link is not valid</h1><p>It may have been cut off by your mail program.</p>`),
        404,
      );
    return c.html(
      page(
        "Unsubscribe",
        html`<h1>Unsubscribe?</h1><p>Stop e-mails from this sender to <strong>${claims.e}</strong>.</p><form method="post"><button type="submit">Unsubscribe</button></form>`,
      ),
    );
  });
