import { redirect } from "react-router";
import { sessionCookieName } from "../../workers/auth/constants.ts";
import { type ResolvedSession, resolveSession } from "../../workers/auth/sessions.ts";
import type { Ctx, RequestScope } from "../../workers/platform/context.ts";

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

export function sessionCookie(scope: Ctx, token: string | null): string {
  const name = sessionCookieName(scope.config.APP_URL);
  const secure = scope.config.APP_URL.startsWith("https:");
  const attrs = ["Path=/", "HttpOnly", "SameSite=Lax", ...(secure ? ["Secure"] : [])];
  if (token === null) return `${name}=; ${attrs.join("; ")}; Max-Age=0`;
  return `${name}=${encodeURIComponent(token)}; ${attrs.join("; ")}; Max-Age=${30 * 24 * 3600}`;
}

// Layout and page loaders run in parallel; resolve the session once per request.
const memo = new WeakMap<RequestScope, Promise<ResolvedSession | null>>();

export function getSession(request: Request, scope: RequestScope): Promise<ResolvedSession | null> {
  let p = memo.get(scope);
  if (!p) {
    const token = readCookie(request, sessionCookieName(scope.config.APP_URL));
    p = token
      ? resolveSession(scope, token).then((s) => {
          if (s) {
            scope.actor = s.actor;
            scope.tenant = s.tenant;
          }
          return s;
        })
      : Promise.resolve(null);
    memo.set(scope, p);
  }
  return p;
}

/** For pages behind sign-in: the session, or a redirect to /sign-in that comes back here after. */
export async function requireSession(request: Request, scope: RequestScope): Promise<ResolvedSession> {
  const s = await getSession(request, scope);
  if (!s) {
    const url = new URL(request.url);
    throw redirect(`/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return s;
}

/** Only same-site relative paths, so ?next= cannot send people to another site. */
export function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}
