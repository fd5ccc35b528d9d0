import Argon2 from "@phi-ag/argon2";
// workerd refuses to compile Wasm from bytes at run time ("Wasm code generation disallowed by
// embedder"), so the module is imported and compiled at deploy time instead.
import wasm from "@phi-ag/argon2/argon2.wasm";

let instance: Promise<Argon2> | null = null;

/** The argon2 Wasm instance, created once per isolate (a pure cache: no I/O). */
export function loadArgon2(): Promise<Argon2> {
  instance ??= WebAssembly.instantiate(wasm as WebAssembly.Module).then((i) => new Argon2(i));
  return instance;
}
