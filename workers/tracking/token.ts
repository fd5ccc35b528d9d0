/**
 * Tracking tokens: everything the pixel and redirect need travels in the URL, HMAC-signed, so
 * answering reads no database (SPEC decision 9). The click token binds its target URL: change one
 * character and it no longer verifies, so the redirect can never be used to send people elsewhere.
 */
export interface TrackClaims {
  t: string; // tenant
  s: string; // send
  c: string; // campaign
  at: number; // when the message was sent (ms), to flag clicks that come too fast to be human
  u?: string; // click target
}

const b64u = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const unb64u = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));

const keys = new Map<string, Promise<CryptoKey>>();
function key(secret: string) {
  let k = keys.get(secret);
  if (!k) {
    k = crypto.subtle.importKey("raw", new TextEncoder().encode(`tracking:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, k);
  }
  return k;
}

export async function signTrack(secret: string, claims: TrackClaims): Promise<string> {
  const body = new TextEncoder().encode(JSON.stringify(claims));
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret), body));
  return `${b64u(body)}.${b64u(sig.subarray(0, 12))}`;
}

export async function verifyTrack(secret: string, token: string): Promise<TrackClaims | null> {
  if (token.length > 4096) return null;
  const dot = token.indexOf(".");
  if (dot <= 0) return null;
  try {
    const body = unb64u(token.slice(0, dot));
    const given = unb64u(token.slice(dot + 1));
    if (given.length !== 12) return null;
    const full = new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret), body));
    let diff = 0;
    for (let i = 0; i < 12; i++) diff |= full[i]! ^ given[i]!;
    if (diff) return null;
    const c = JSON.parse(new TextDecoder().decode(body)) as TrackClaims;
    if (typeof c.t !== "string" || typeof c.s !== "string" || typeof c.c !== "string" || typeof c.at !== "number") return null;
    if (c.u !== undefined && !/^https?:\/\//i.test(c.u)) return null;
    return c;
  } catch {
    return null;
  }
}
