import type { SendRef } from "../inbound/match.ts";
import type { mailboxes } from "../mailboxes/tables.ts";

/**
 * VERP return-path (SPEC decision 10): a hosted mailbox's message goes out with the SMTP envelope
 * sender (MAIL FROM) `bounce+<SEND>-<TENANT>@<inbound domain>`, so its bounce comes back to the
 * Worker's email() handler addressed to the very send it is about — even a DSN that returns none of
 * the original headers (no Message-ID to find) is matched. Pure: no I/O.
 *
 * - The parts are the 26-character ULIDs of the send and its tenant without their `snd_`/`ten_`
 *   prefixes: "bounce+" + 26 + "-" + 26 = 60 characters, inside RFC 5321's 64-octet local part.
 *   The tenant rides along because every read is tenant-scoped (RLS): no cross-tenant lookup table.
 * - No HMAC. A send id is only known to whoever received that message (it is in its Message-ID and
 *   now its Return-Path), so a forged bounce can only name sends the forger was sent, and processing
 *   a VERP bounce suppresses the address that send went to — the forger's own. That is the same trust
 *   we already give Message-ID matching, and a signature would push the local part past 64.
 * - Only this envelope carries it. The MIME must NOT get a Return-Path header: the final receiving
 *   MTA writes Return-Path from MAIL FROM (RFC 5321 §4.4) and drops or distrusts one we supply.
 */
type Mailbox = Pick<typeof mailboxes.$inferSelect, "email" | "nodeId">;

const ULID = "[0-9A-HJKMNP-TV-Z]{26}"; // Crockford base32, as workers/platform/ids.ts writes them
const SEND_ID = new RegExp(`^snd_${ULID}$`);
const TENANT_ID = new RegExp(`^ten_${ULID}$`);
// Case-insensitive: MTAs and forwarders may lower-case a local part (RFC 5321 lets them treat it as
// case-sensitive, many do not). Any domain is accepted: whatever reaches the email() handler was
// routed to us, and an address on a previous inbound domain must keep working after a change.
const VERP = new RegExp(`^bounce\\+(${ULID})-(${ULID})@[a-z0-9-]+(?:\\.[a-z0-9-]+)+$`, "i");

export function verpAddress(sendId: string, tenantId: string, inboundDomain: string): string {
  if (!SEND_ID.test(sendId) || !TENANT_ID.test(tenantId)) throw new Error(`verpAddress: not a send/tenant id: ${sendId} ${tenantId}`);
  return `bounce+${sendId.slice(4)}-${tenantId.slice(4)}@${inboundDomain.toLowerCase()}`;
}

/** The send a VERP address names, or null for anything that is not exactly one of ours. */
export function parseVerp(address: string | null | undefined): SendRef | null {
  const m = VERP.exec((address ?? "").trim().replace(/^<(.*)>$/, "$1"));
  if (!m) return null;
  return { sendId: `snd_${m[1]!.toUpperCase()}`, tenantId: `ten_${m[2]!.toUpperCase()}` };
}

/**
 * The MAIL FROM for one message. Hosted mailboxes (a node, i.e. our own MailU) use the VERP address:
 * we create their MailU users with allow_spoofing, without which postfix's
 * reject_authenticated_sender_login_mismatch refuses an envelope sender other than the login
 * (infra/hosted-mailboxes.ts). Bring-your-own SMTP mailboxes keep their own address: Gmail and
 * Office 365 rewrite or refuse a foreign envelope sender, so their bounces go to the mailbox itself,
 * come back forwarded, and are matched by the Message-ID they quote (inbound/match.ts). Without an
 * inbound domain there is nowhere to bounce to.
 * On the node, two MailU defaults meet this address (see infra/bootstrap-files.ts): rspamd signs DKIM
 * only if envelope and From domains match unless allow_hdrfrom_mismatch (our override sets it), and
 * postfix SRS-rewrites a foreign envelope sender onto the node's DOMAIN, reversing it when the
 * bounce comes back, so the bounce is still delivered to this address.
 */
export function envelopeSender(box: Mailbox, sendId: string, tenantId: string, inboundDomain: string | undefined): string {
  if (box.nodeId === null || !inboundDomain) return box.email;
  return verpAddress(sendId, tenantId, inboundDomain);
}
