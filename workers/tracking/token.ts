/**
 * Tracking tokens: everything the pixel and redirect need travels in the URL, HMAC-signed, so
 * answering reads no database (SPEC decision 9). The click token binds its target URL: change one
 * character and it no longer verifies, so the redirect can never be used to send people elsewhere.
 *
 * Format (unchanged since the first mail went out): base64url(JSON claims) "." base64url(first 12
 * bytes of HMAC-SHA-256 over the JSON bytes), no padding, key = "tracking:" + AUTH_SECRET.
 * verifyTrack is the pixel's and redirect's hot path (bench/tracking), hence the hand-written
 * decoder and the cached key.
 */
export interface TrackClaims {
  t: string; // tenant
  s: string; // send
  c: string; // campaign
  at: number; // when the message was sent (ms), to flag clicks that come too fast to be human
  u?: string; // click target
}

const SIG_BYTES = 12;
const SIG_CHARS = 16; // base64url of 12 bytes, no padding
const MAX_TOKEN = 4096;

const b64u = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

// base64url alphabet → 6-bit value; -1 for anything else (padding, '+', '/', non-ASCII).
const SEXTET = new Int8Array(128).fill(-1);
for (const [i, ch] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].entries()) SEXTET[ch.charCodeAt(0)] = i;

/**
 * Strict base64url (no padding) → bytes, or null. A plain loop: about 5× cheaper here than
 * atob + Uint8Array.from(…, callback), which was the largest JS cost of a pixel request.
 */
function unb64u(s: string, from: number, to: number): Uint8Array<ArrayBuffer> | null {
  const n = to - from;
  if (n % 4 === 1) return null;
  const out = new Uint8Array((n * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = from; i < to; i++) {
    const code = s.charCodeAt(i);
    const v = code < 128 ? SEXTET[code]! : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = acc >> bits;
    }
  }
  return out;
}

/**
 * One imported HMAC key per secret, per isolate, created on first use (never at import: module
 * scope does no work). A failed import is forgotten so the next request tries again.
 */
const keys = new Map<string, CryptoKey | Promise<CryptoKey>>();
function key(secret: string): CryptoKey | Promise<CryptoKey> {
  let k = keys.get(secret);
  if (!k) {
    const p = crypto.subtle
      .importKey("raw", new TextEncoder().encode(`tracking:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then(
        (imported) => {
          keys.set(secret, imported);
          return imported;
        },
        (err) => {
          keys.delete(secret);
          throw err;
        },
      );
    keys.set(secret, p);
    k = p;
  }
  return k;
}

const utf8 = new TextDecoder();

export async function signTrack(secret: string, claims: TrackClaims): Promise<string> {
  const body = new TextEncoder().encode(JSON.stringify(claims));
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret), body));
  return `${b64u(body)}.${b64u(sig.subarray(0, SIG_BYTES))}`;
}

/** The claims of a genuine token, or null for anything else (never throws). */
export async function verifyTrack(secret: string, token: string): Promise<TrackClaims | null> {
  const dot = token.length - SIG_CHARS - 1;
  if (token.length > MAX_TOKEN || dot <= 0 || token.charCodeAt(dot) !== 46 /* "." */) return null;
  const body = unb64u(token, 0, dot);
  const given = unb64u(token, dot + 1, token.length);
  if (!body || !given) return null;
  try {
    const full = new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret), body));
    let diff = 0;
    for (let i = 0; i < SIG_BYTES; i++) diff |= full[i]! ^ given[i]!;
    if (diff) return null;
    const c = JSON.parse(utf8.decode(body)) as TrackClaims;
    if (typeof c !== "object" || c === null) return null;
    if (typeof c.t !== "string" || typeof c.s !== "string" || typeof c.c !== "string" || typeof c.at !== "number") return null;
    if (c.u !== undefined && (typeof c.u !== "string" || !/^https?:\/\//i.test(c.u))) return null;
    return c;
  } catch {
    return null;
  }
}
