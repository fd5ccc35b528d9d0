/**
 * Which paths a host may serve. A customer's tracking domain (a CNAME to us) serves tracking and
 * unsubscribe paths (`/t/*`) and the API only — never the dashboard, so a tracking host cannot be
 * used to phish a sign-in. Loopback is never a customer's domain: locally `localhost` and
 * 127.0.0.1 both reach the app.
 */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function hostServesPath(hostname: string, pathname: string, appUrl: string): boolean {
  if (hostname === appHostname(appUrl) || LOOPBACK.has(hostname)) return true;
  return isApiPath(pathname);
}

// Every request asks this; APP_URL is fixed per deployment, so parse it once per isolate.
let lastAppUrl = "";
let lastAppHost = "";
function appHostname(appUrl: string): string {
  if (appUrl !== lastAppUrl) {
    lastAppHost = new URL(appUrl).hostname;
    lastAppUrl = appUrl;
  }
  return lastAppHost;
}

/** Paths the Hono app answers (API and the public tracking/unsubscribe paths); the rest is the dashboard. */
export const isApiPath = (pathname: string) => pathname === "/api" || pathname.startsWith("/api/") || pathname.startsWith("/t/");
