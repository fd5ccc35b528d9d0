import { newToken } from "../auth/tokens.ts";

/**
 * Credentials of the node agent (the software on a provisioned VPS). Nothing here reads the
 * database: the tenant and node travel in the token so the endpoint can open the right tenant's
 * transaction, and the secret half is checked there against a stored SHA-256.
 *
 *   agent token      pmn.<tenantId>.<nodeId>.<secret>             (Bearer on /api/nodes/ready|heartbeat)
 *   bootstrap token  <tenantId>.<nodeId>.<nonce>.<expiry>.<hmac>  (path of the one-time bootstrap URL)
 */

const enc = new TextEncoder();
const b64url = (u: Uint8Array) =>
  btoa(String.fromCharCode(...u))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

async function hmac(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(`node-bootstrap:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return b64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(message))));
}

const ID = /^[a-z]{3}_[0-9A-Z]{26}$/;

export function newAgentToken(tenantId: string, nodeId: string): string {
  return `pmn.${tenantId}.${nodeId}.${newToken(32)}`;
}

export function parseAgentToken(header: string | null | undefined): { tenantId: string; nodeId: string; token: string } | null {
  const token = header?.replace(/^Bearer\s+/i, "").trim() ?? "";
  const [tag, tenantId, nodeId, secret] = token.split(".");
  if (tag !== "pmn" || !tenantId || !nodeId || !secret || !ID.test(tenantId) || !ID.test(nodeId) || secret.length < 40) return null;
  return { tenantId, nodeId, token };
}

export const BOOTSTRAP_TTL_MS = 2 * 3600_000;

export async function signBootstrap(secret: string, claims: { tenantId: string; nodeId: string; nonce: string; expiresAt: number }) {
  const body = `${claims.tenantId}.${claims.nodeId}.${claims.nonce}.${claims.expiresAt}`;
  return `${body}.${await hmac(secret, body)}`;
}

export type BootstrapClaims = { tenantId: string; nodeId: string; nonce: string; expiresAt: number };

/** null for anything forged, malformed or expired; the one-time check is the caller's (nonce in the row). */
export async function verifyBootstrap(secret: string, token: string, now = Date.now()): Promise<BootstrapClaims | null> {
  const parts = token.split(".");
  if (parts.length !== 5) return null;
  const [tenantId, nodeId, nonce, exp, sig] = parts as [string, string, string, string, string];
  if (!ID.test(tenantId) || !ID.test(nodeId) || !/^\d{10,16}$/.test(exp)) return null;
  const expected = await hmac(secret, `${tenantId}.${nodeId}.${nonce}.${exp}`);
  if (expected.length !== sig.length) return null;
  let diff = 0;
  for (let i = 0; i < sig.length; i++) diff |= expected.charCodeAt(i) ^ sig.charCodeAt(i);
  if (diff !== 0) return null;
  const expiresAt = Number(exp);
  if (expiresAt < now) return null;
  return { tenantId, nodeId, nonce, expiresAt };
}

export const randomNonce = () => newToken(18);
