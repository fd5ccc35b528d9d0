import type Argon2 from "@phi-ag/argon2";
import initialize from "@phi-ag/argon2/node";

let instance: Promise<Argon2> | null = null;

/** Node (scripts, node tests): the same Wasm build, read from disk. */
export function loadArgon2(): Promise<Argon2> {
  instance ??= initialize();
  return instance;
}
