import { parseVerp } from "../sending/verp.ts";

/**
 * Our Message-IDs are `<snd_….ten_…@sender-domain>` (sending/prepare.ts): the send and its tenant in
 * one token that replies quote in In-Reply-To/References and bounces carry in their attached
 * headers. Finding it anywhere in a message is enough to route it, with no lookup table.
 */
const ID_RE = /(snd_[0-9A-HJKMNP-TV-Z]{26})\.(ten_[0-9A-HJKMNP-TV-Z]{26})@/;
const ID_RE_G = new RegExp(ID_RE.source, "g");

export interface SendRef {
  sendId: string;
  tenantId: string;
}

export function findSendRef(...texts: (string | undefined | null)[]): SendRef | null {
  for (const t of texts) {
    if (!t) continue;
    const m = ID_RE.exec(t);
    if (m) return { sendId: m[1]!, tenantId: m[2]! };
  }
  return null;
}

/** All our references in a header value, newest last (References lists the thread oldest first). */
export function allSendRefs(value: string | undefined | null): SendRef[] {
  if (!value) return [];
  return [...value.matchAll(ID_RE_G)].map((m) => ({ sendId: m[1]!, tenantId: m[2]! }));
}

export type MatchedBy = "verp" | "message_id";

/**
 * Which send an inbound message is about. Hosted mailboxes send with a VERP envelope sender
 * (sending/verp.ts), so a bounce arrives with the send in its envelope recipient: for a bounce that
 * is authoritative — it names the exact message and recipient, and needs no returned headers — and
 * a Message-ID found in the body only counts when the recipient is not a VERP address (bounces of
 * bring-your-own mailboxes, forwarded to us). Complaints and replies are matched by the headers they
 * quote; the VERP address is their fallback (RFC 3834 auto-responders answer the Return-Path).
 */
export function resolveSendRef(
  kind: "bounce" | "complaint" | "reply",
  quoted: SendRef | null,
  envelopeTo: string | null | undefined,
): { ref: SendRef; via: MatchedBy } | null {
  const verp = parseVerp(envelopeTo);
  if (verp && (kind === "bounce" || !quoted)) return { ref: verp, via: "verp" };
  return quoted ? { ref: quoted, via: "message_id" } : null;
}
