import { Argon2Type, Argon2Version } from "@phi-ag/argon2";
import { loadArgon2 } from "#argon2";

/**
 * argon2id in WebAssembly (@phi-ag/argon2; the Wasm module is imported, not compiled at run time,
 * which workerd forbids). Stored as a PHC string so parameters travel with each hash and can be
 * raised later (needsRehash). OWASP minimum: m=19 MiB, t=2, p=1.
 */
export const ARGON2_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, hashLength: 32 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export async function hashPassword(password: string): Promise<string> {
  const argon2 = await loadArgon2();
  return argon2.hash(password, { ...ARGON2_PARAMS, type: Argon2Type.Argon2id, version: Argon2Version.Version13 }).encoded;
}

export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  if (!phc.startsWith("$argon2id$")) return false;
  const argon2 = await loadArgon2();
  return argon2.tryVerify(phc, password, Argon2Type.Argon2id).success;
}

/** True when a stored hash was made with weaker parameters than today's. */
export function needsRehash(phc: string): boolean {
  const m = /\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
  if (!m) return true;
  return Number(m[1]) < ARGON2_PARAMS.memoryCost || Number(m[2]) < ARGON2_PARAMS.timeCost;
}

let dummy: Promise<string> | null = null;

/**
 * A real hash of a random secret, made once per isolate: unknown e-mails are verified against it
 * so their sign-in costs the same argon2 work as known ones (no account enumeration by timing).
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomUUID());
  return dummy;
}
