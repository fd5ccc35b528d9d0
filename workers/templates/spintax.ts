/**
 * Deterministic spintax choice. The option picked for spin #n depends only on (seed, part, n), so
 * a retried send renders the same message, and text and HTML bodies agree with each other.
 * FNV-1a (32-bit) folds the key; murmur3's fmix32 finaliser spreads FNV's weak low bits so that
 * consecutive seeds ("lead_1", "lead_2", …) still land evenly across options.
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function fnv1a(str: string, h: number = FNV_OFFSET): number {
  let x = h;
  for (let i = 0; i < str.length; i++) {
    x ^= str.charCodeAt(i);
    x = Math.imul(x, FNV_PRIME);
  }
  return x >>> 0;
}

function fmix32(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Subject and bodies draw from separate streams so the subject's choice does not fix the greeting's. */
export type SpinStream = "subject" | "body";

/** FNV state after `${seed}:${stream}:`; hash it once per message, then per spin only the index. */
export function spinPrefix(seed: string, stream: SpinStream): number {
  return fnv1a(`${seed}:${stream}:`);
}

/** Index in [0, count) for spin number `spinIndex`. */
export function pickOption(prefix: number, spinIndex: number, count: number): number {
  const h = fmix32(fnv1a(String(spinIndex), prefix));
  // Multiply-shift instead of `%`: no modulo bias and uses the well-mixed high bits.
  return Math.floor((h / 0x1_0000_0000) * count);
}
