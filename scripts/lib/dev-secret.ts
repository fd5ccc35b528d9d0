import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** A per-checkout AUTH_SECRET for local dev, generated once and kept under .data/ (git-ignored). */
export function devSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** A per-checkout secrets master key (`dev1:<base64 32 bytes>`) for local dev, kept under .data/. */
export function devMasterKeys(path: string): string {
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(dirname(path), { recursive: true });
  const spec = `dev1:${randomBytes(32).toString("base64")}`;
  writeFileSync(path, `${spec}\n`, { mode: 0o600 });
  return spec;
}
