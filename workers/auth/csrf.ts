/**
 * CSRF defence for cookie-authenticated writes: the Origin must be ours, and the request must carry
 * a token only our pages can know — HMAC-SHA256(AUTH_SECRET, session id), so it needs no storage
 * and dies with the session.
 */
async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function csrfToken(secret: string, sessionId: string): Promise<string> {
  return hmacHex(secret, `csrf:${sessionId}`);
}

export async function verifyCsrfToken(secret: string, sessionId: string, given: string | null | undefined): Promise<boolean> {
  if (given?.length !== 64) return false;
  const expected = await csrfToken(secret, sessionId);
  let diff = 0;
  for (let i = 0; i < 64; i++) diff |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  return diff === 0;
}

/** Same-origin check: the Origin (or, failing that, Referer) must match the app URL or the request's own origin. */
export function sameOrigin(request: Request, appUrl: string): boolean {
  const origin = request.headers.get("origin") ?? refererOrigin(request.headers.get("referer"));
  if (!origin) return false;
  return origin === new URL(appUrl).origin || origin === new URL(request.url).origin;
}

function refererOrigin(referer: string | null): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}
