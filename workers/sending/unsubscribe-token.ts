/**
 * Signed unsubscribe tokens: everything needed to honour the request travels in the token
 * (tenant, workspace, address, send), HMAC-SHA256 with AUTH_SECRET, so answering reads no row first.
 */
export interface UnsubscribeClaims {
  t: string; // tenant
  w: string; // workspace
  e: string; // address
  s: string | null; // send
}

const b64u = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const unb64u = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

async function key(secret: string) {
  return crypto.subtle.importKey("raw", new TextEncoder().encode(`unsubscribe:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

export async function signUnsubscribe(secret: string, claims: UnsubscribeClaims): Promise<string> {
  const body = new TextEncoder().encode(JSON.stringify(claims));
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret), body));
  return `${b64u(body)}.${b64u(sig.subarray(0, 16))}`;
}

export async function verifyUnsubscribe(secret: string, token: string): Promise<UnsubscribeClaims | null> {
  const [body, sig] = token.split(".");
  if (!body || !sig || token.length > 2048) return null;
  try {
    const bytes = unb64u(body);
    const full = new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret), bytes));
    const given = unb64u(sig);
    if (given.length !== 16) return null;
    let diff = 0;
    for (let i = 0; i < 16; i++) diff |= full[i]! ^ given[i]!;
    if (diff !== 0) return null;
    const c = JSON.parse(new TextDecoder().decode(bytes)) as UnsubscribeClaims;
    return typeof c.t === "string" && typeof c.w === "string" && typeof c.e === "string" ? c : null;
  } catch {
    return null;
  }
}
