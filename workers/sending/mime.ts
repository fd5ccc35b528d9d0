/**
 * RFC 5322 / MIME message builder for campaign mail: plain text first, optional HTML alternative,
 * UTF-8 quoted-printable bodies, RFC 2047 encoded headers, and the RFC 8058 one-click headers.
 * Header values are passed through `headerSafe` so nothing a lead or template supplies can add a line.
 */
export interface MimeInput {
  from: { name: string; email: string };
  to: string;
  subject: string;
  text: string;
  html?: string;
  messageId: string; // without angle brackets
  date: Date;
  replyTo?: string;
  /** Campaign mail only; a personal reply from the inbox carries none. */
  listUnsubscribeUrl?: string;
  extraHeaders?: Record<string, string>;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: header values must not carry control characters
const headerSafe = (v: string) => v.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();

/** RFC 2047 B-encoding in UTF-8 when needed, split into encoded-words of ≤ 75 characters. */
export function encodeHeaderValue(value: string): string {
  const v = headerSafe(value);
  if (/^[\x20-\x7e]*$/.test(v)) return v;
  const bytes = new TextEncoder().encode(v);
  const words: string[] = [];
  // 45 bytes → 60 base64 chars; "=?UTF-8?B?" + 60 + "?=" = 72 ≤ 75. Never split a UTF-8 sequence.
  let i = 0;
  while (i < bytes.length) {
    let end = Math.min(i + 45, bytes.length);
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
    words.push(`=?UTF-8?B?${btoa(String.fromCharCode(...bytes.subarray(i, end)))}?=`);
    i = end;
  }
  return words.join("\r\n ");
}

function mailbox(name: string, email: string): string {
  const n = headerSafe(name);
  if (!n) return `<${email}>`;
  return /^[\x20-\x7e]*$/.test(n) ? `"${n.replace(/["\\]/g, "\\$&")}" <${email}>` : `${encodeHeaderValue(n)} <${email}>`;
}

/** Quoted-printable (RFC 2045 §6.7) over UTF-8 with CRLF line breaks and soft breaks at 76. */
export function quotedPrintable(text: string): string {
  const lines = text.replace(/\r\n|\r/g, "\n").split("\n");
  const out: string[] = [];
  for (const line of lines) {
    let enc = "";
    for (const b of new TextEncoder().encode(line)) {
      enc +=
        (b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9
          ? String.fromCharCode(b)
          : `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
    }
    // Trailing whitespace must be encoded so transports cannot strip it.
    enc = enc.replace(/([ \t])$/, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
    let rest = enc;
    while (rest.length > 76) {
      let cut = 75;
      // Do not split an =XX escape.
      if (rest[cut - 1] === "=") cut -= 1;
      else if (rest[cut - 2] === "=") cut -= 2;
      out.push(`${rest.slice(0, cut)}=`);
      rest = rest.slice(cut);
    }
    out.push(rest);
  }
  return out.join("\r\n");
}

export function buildMessage(m: MimeInput): string {
  const headers: string[] = [
    `From: ${mailbox(m.from.name, m.from.email)}`,
    `To: <${headerSafe(m.to)}>`,
    `Subject: ${encodeHeaderValue(m.subject)}`,
    `Date: ${m.date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${headerSafe(m.messageId)}>`,
    ...(m.replyTo ? [`Reply-To: <${headerSafe(m.replyTo)}>`] : []),
    ...(m.listUnsubscribeUrl
      ? [`List-Unsubscribe: <${headerSafe(m.listUnsubscribeUrl)}>`, "List-Unsubscribe-Post: List-Unsubscribe=One-Click"]
      : []),
    "MIME-Version: 1.0",
    ...Object.entries(m.extraHeaders ?? {}).map(([k, v]) => `${headerSafe(k).replace(/[^A-Za-z0-9-]/g, "")}: ${headerSafe(v)}`),
  ];
  const textPart = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "", quotedPrintable(m.text)];
  if (!m.html) return [...headers, ...textPart, ""].join("\r\n");
  const boundary = `pm_${crypto.randomUUID().replace(/-/g, "")}`;
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    ...textPart,
    `--${boundary}`,
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: quoted-printable",
    "",
    quotedPrintable(m.html),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}
