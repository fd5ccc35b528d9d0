/**
 * Envelope encryption for stored secrets (SMTP/IMAP passwords, vendor tokens, DKIM keys), SPEC
 * decision 11: each value gets its own random AES-256-GCM data key; the data key is wrapped with the
 * master key (AES-256-GCM too) named by a version. Stored form:
 *   pmsec:1:<keyVersion>:<wrapIv>.<wrappedKey>:<iv>.<ciphertext>   (base64url parts)
 * Rotation: add a new version to SECRETS_MASTER_KEYS (first entry encrypts, all entries decrypt)
 * and re-wrap; the version travels with every value.
 */
export interface MasterKeys {
  active: string;
  keys: Map<string, CryptoKey>;
}

const b64 = (u: Uint8Array) =>
  btoa(String.fromCharCode(...u))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const unb64 = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** Parses `v2:<base64 32 bytes>,v1:<base64 32 bytes>` (the first is used to encrypt). */
export async function loadMasterKeys(spec: string): Promise<MasterKeys> {
  const keys = new Map<string, CryptoKey>();
  let active = "";
  for (const part of spec
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.indexOf(":");
    const version = part.slice(0, i);
    let raw: Uint8Array<ArrayBuffer>;
    try {
      raw = unb64(part.slice(i + 1));
    } catch {
      raw = new Uint8Array(0);
    }
    if (!/^[a-z0-9]{1,16}$/i.test(version) || raw.length !== 32)
      throw new Error("SECRETS_MASTER_KEYS entries must be <version>:<base64 of 32 bytes>");
    keys.set(version, await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
    active ||= version;
  }
  if (!active) throw new Error("SECRETS_MASTER_KEYS is empty");
  return { active, keys };
}

export async function encryptSecret(mk: MasterKeys, plaintext: string): Promise<string> {
  const dataKey = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const dk = await crypto.subtle.importKey("raw", dataKey, "AES-GCM", false, ["encrypt"]);
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, dk, new TextEncoder().encode(plaintext)));
  const wrapIv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: wrapIv, additionalData: new TextEncoder().encode(mk.active) },
      mk.keys.get(mk.active)!,
      dataKey,
    ),
  );
  return `pmsec:1:${mk.active}:${b64(wrapIv)}.${b64(wrapped)}:${b64(iv)}.${b64(ct)}`;
}

export async function decryptSecret(mk: MasterKeys, stored: string): Promise<string> {
  const [tag, format, version, wrap, body] = stored.split(":");
  if (tag !== "pmsec" || format !== "1" || !version || !wrap || !body) throw new Error("not an encrypted secret");
  const master = mk.keys.get(version);
  if (!master) throw new Error(`secret was encrypted with key version ${version}, which is not configured`);
  const [wrapIv, wrapped] = wrap.split(".").map(unb64) as [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>];
  const [iv, ct] = body.split(".").map(unb64) as [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>];
  const dataKey = new Uint8Array(
    await crypto.subtle.decrypt({ name: "AES-GCM", iv: wrapIv, additionalData: new TextEncoder().encode(version) }, master, wrapped),
  );
  const dk = await crypto.subtle.importKey("raw", dataKey, "AES-GCM", false, ["decrypt"]);
  return new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, dk, ct));
}

/** Re-wraps a value under the active key (rotation); the ciphertext itself is decrypted and re-encrypted. */
export async function rewrapSecret(mk: MasterKeys, stored: string): Promise<string> {
  return encryptSecret(mk, await decryptSecret(mk, stored));
}

export const keyVersionOf = (stored: string) => stored.split(":")[2] ?? null;
