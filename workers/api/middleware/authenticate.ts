import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { resolveApiKey } from "../../api-keys/index.ts";
import { sessionCookieName } from "../../auth/constants.ts";
import { sameOrigin, verifyCsrfToken } from "../../auth/csrf.ts";
import { resolveSession } from "../../auth/sessions.ts";
import { AppError } from "../../platform/errors.ts";
import type { AppEnv } from "../types.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Who is calling: `Authorization: Bearer pm_live_…` (API key → its tenant and scopes) or the session
 * cookie (user → active tenant and role). Cookie writes also need our Origin and the CSRF header.
 * Leaves ctx.actor null for anonymous calls; routes that need an actor refuse with 401.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ctx = c.var.ctx;
  const authz = c.req.header("authorization");
  if (authz !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    const resolved = m ? await resolveApiKey(ctx, m[1]!) : null;
    if (!resolved) throw new AppError("UNAUTHENTICATED", "Invalid or revoked API key.");
    ctx.actor = { kind: "api_key", keyId: resolved.keyId, userId: null, scopes: resolved.scopes };
    ctx.tenant = resolved.tenant;
    c.set("rateLimit", { name: `key:${resolved.keyId}`, tenantName: `tenant:${resolved.tenant.id}`, limits: resolved.limits });
    return next();
  }
  const token = getCookie(c, sessionCookieName(ctx.config.APP_URL));
  if (token) {
    const session = await resolveSession(ctx, token);
    if (session) {
      if (!SAFE.has(c.req.method)) {
        const okOrigin = sameOrigin(c.req.raw, ctx.config.APP_URL);
        const okToken = await verifyCsrfToken(ctx.config.AUTH_SECRET, session.actor.sessionId, c.req.header("x-csrf-token"));
        if (!okOrigin || !okToken) throw new AppError("FORBIDDEN", "Missing or invalid CSRF token for a cookie-authenticated request.");
      }
      ctx.actor = session.actor;
      ctx.tenant = session.tenant;
    }
  }
  return next();
};

/** Routes mounted behind this need someone; which permission is the verb's business. */
export const requireActor: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.ctx.actor) throw new AppError("UNAUTHENTICATED", "Sign in or send an API key (Authorization: Bearer pm_live_…).");
  return next();
};
