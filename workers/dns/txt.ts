/**
 * TXT character-strings (RFC 1035 §3.3.14): one TXT record holds several strings of at most 255
 * bytes each, and SPF/DKIM/DMARC readers concatenate them with nothing in between (RFC 7208 §3.3,
 * RFC 6376 §3.6.2.2). So a long value is split on byte boundaries, never at a space.
 */
export const TXT_STRING_MAX_BYTES = 255;

const enc = new TextEncoder();

/** Splits on UTF-8 byte boundaries without cutting a multi-byte character. */
export function splitTxt(value: string, maxBytes = TXT_STRING_MAX_BYTES): string[] {
  if (maxBytes < 4) throw new RangeError("maxBytes must be at least 4 (one UTF-8 character)");
  if (value === "") return [""];
  const out: string[] = [];
  let current = "";
  let currentBytes = 0;
  for (const ch of value) {
    const n = enc.encode(ch).length;
    if (currentBytes + n > maxBytes) {
      out.push(current);
      current = "";
      currentBytes = 0;
    }
    current += ch;
    currentBytes += n;
  }
  out.push(current);
  return out;
}

export const joinTxt = (strings: readonly string[]): string => strings.join("");

export const byteLength = (s: string): number => enc.encode(s).length;

/** Zone-file / Cloudflare-API form: `"part1" "part2"` with `"` and `\` escaped. */
export function quoteTxt(strings: readonly string[]): string {
  return strings.map((s) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(" ");
}

/**
 * Parses presentation-format character-strings: `"a" "b"`, `"a""b"`, escapes `\"`, `\\` and
 * `\DDD` (decimal byte). An unquoted input is one string, returned as is.
 */
export function parseTxtStrings(data: string): string[] {
  const s = data.trim();
  if (!s.startsWith('"')) return [s];
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    if (s[i] !== '"') {
      // Bare word between quoted strings: take it up to the next space.
      let word = "";
      while (i < s.length && !/\s/.test(s[i]!)) word += s[i++];
      out.push(word);
      continue;
    }
    i++;
    const bytes: number[] = [];
    while (i < s.length && s[i] !== '"') {
      if (s[i] === "\\" && i + 1 < s.length) {
        const dec = /^\d{3}/.exec(s.slice(i + 1, i + 4));
        if (dec) {
          bytes.push(Number(dec[0]) & 0xff);
          i += 4;
        } else {
          const ch = String.fromCodePoint(s.codePointAt(i + 1)!);
          bytes.push(...enc.encode(ch));
          i += 1 + ch.length;
        }
      } else {
        const ch = String.fromCodePoint(s.codePointAt(i)!);
        bytes.push(...enc.encode(ch));
        i += ch.length;
      }
    }
    i++; // closing quote (or end of an unterminated string)
    out.push(new TextDecoder().decode(new Uint8Array(bytes)));
  }
  return out;
}
