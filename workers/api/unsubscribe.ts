import { Hono } from "hono";
import { html } from "hono/html";
import { recordUnsubscribeReason, resubscribe, UNSUBSCRIBE_REASONS, type UnsubscribeReason, unsubscribe } from "../sending/unsubscribe.ts";
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

const reasonOptions = () =>
  html`${Object.entries(UNSUBSCRIBE_REASONS).map(([v, label]) => html`<label style="display:block;margin:6px 0"><input type="radio" name="why" value="${v}"> ${label}</label>`)}`;

const done = (token: string, email: string) =>
  page(
    "Unsubscribed",
    html`<h1>You are unsubscribed</h1><p>${email} will not receive more e-mail from this sender.</p>
<form method="post" action="/t/u/${token}/why"><fieldset style="border:0;padding:0;margin:16px 0"><legend>Would you tell us why? (optional)</legend>${reasonOptions()}</fieldset><button type="submit">Send</button></form>
<form method="post" action="/t/u/${token}/resubscribe" style="margin-top:16px"><button type="submit" style="background:#fff;color:#1f57d1;border:1px solid #1f57d1">Undo — keep me subscribed</button></form>`,
  );

export const unsubscribeRoutes = new Hono<AppEnv>()
  .post("/:token/why", async (c) => {
    const claims = await verifyUnsubscribe(c.var.ctx.config.AUTH_SECRET, c.req.param("token"));
    if (!claims) return c.text("Unknown or damaged unsubscribe link.", 404);
    const why = String((await c.req.parseBody()).why ?? "");
    if (why in UNSUBSCRIBE_REASONS) await recordUnsubscribeReason(c.var.ctx, claims, why as UnsubscribeReason);
    return c.html(page("Thank you", html`<h1>Thank you</h1><p>You will not hear from this sender again.</p>`));
  })
  .post("/:token/resubscribe", async (c) => {
    const claims = await verifyUnsubscribe(c.var.ctx.config.AUTH_SECRET, c.req.param("token"));
    if (!claims) return c.text("Unknown or damaged unsubscribe link.", 404);
    await resubscribe(c.var.ctx, claims);
    return c.html(
      page("Subscribed again", html`<h1>You are subscribed again</h1><p>${claims.e} can receive e-mail from this sender again.</p>`),
    );
  })
  .post("/:token", async (c) => {
    const claims = await verifyUnsubscribe(c.var.ctx.config.AUTH_SECRET, c.req.param("token"));
    if (!claims) return c.text("Unknown or damaged unsubscribe link.", 404);
    await unsubscribe(c.var.ctx, claims);
    const accepts = c.req.header("accept") ?? "";
    if (accepts.includes("text/html")) return c.html(done(c.req.param("token"), claims.e));
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
