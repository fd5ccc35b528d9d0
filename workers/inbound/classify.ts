import type { Email } from "postal-mime";
import { allSendRefs, findSendRef, type SendRef } from "./match.ts";

/**
 * What an inbound message is: a bounce (DSN or a non-standard one), a complaint (ARF), a reply (or
 * an auto-reply, which is recorded but does not count), or something we cannot place. Pure: the
 * parsed message in, a decision out.
 */
export type BounceClass = "hard" | "soft" | "unknown";

export type Inbound =
  | {
      kind: "bounce";
      class: BounceClass;
      status: string | null;
      diagnostic: string | null;
      recipient: string | null;
      ref: SendRef | null;
      delayed: boolean;
    }
  | { kind: "complaint"; feedbackType: string; recipient: string | null; ref: SendRef | null }
  | {
      kind: "reply";
      auto: boolean;
      autoReason: string | null;
      ref: SendRef | null;
      from: string | null;
      subject: string;
      text: string;
      messageId: string | null;
    }
  | { kind: "unknown"; reason: string };

const header = (e: Email, key: string) => e.headers.find((h) => h.key === key.toLowerCase())?.value;
const partText = (e: Email, mime: string) => {
  const a = e.attachments.find((x) => x.mimeType.toLowerCase() === mime);
  if (!a) return null;
  return typeof a.content === "string" ? a.content : new TextDecoder().decode(a.content as ArrayBuffer);
};
const field = (block: string, name: string) =>
  new RegExp(`^${name}:\\s*(.+(?:\\r?\\n[ \\t].+)*)`, "im")
    .exec(block)?.[1]
    ?.replace(/\r?\n[ \t]+/g, " ")
    .trim() ?? null;
const addrOf = (v: string | null) =>
  v ? (/<?([^\s<>;]+@[^\s<>;]+)>?\s*$/.exec(v.replace(/^rfc822;\s*/i, ""))?.[1]?.toLowerCase() ?? null) : null;

// Enhanced status codes that are about the recipient's address (RFC 3463): the address is bad.
const HARD_STATUS = /^5\.(1\.[0-3]|1\.6|1\.10|2\.1)$/;
// Permanent by class but not about the address: full mailbox, message size, policy/reputation blocks.
const SOFT_5XX = /^5\.(2\.2|3\.4|7\.\d+|4\.\d+|3\.0)$/;
const HARD_TEXT =
  /(user unknown|doesn't have an? [\w.]*\s?account|no such account|unknown user|no such user|does not exist|doesn't exist|invalid (recipient|mailbox|address)|recipient address rejected|mailbox unavailable|address rejected|unrouteable address|no mailbox here|account (has been )?disabled|mailbox not found|not a valid (e-?mail|recipient))/i;
const SOFT_TEXT = /(mailbox (is )?full|over quota|quota exceeded|temporarily|try again later|greylist|message too large|rate limit)/i;

export function classifyStatus(status: string | null, diagnostic: string | null): BounceClass {
  if (status && HARD_STATUS.test(status)) return "hard";
  if (status?.startsWith("4.")) return "soft";
  if (status && SOFT_5XX.test(status)) return "soft";
  if (diagnostic && HARD_TEXT.test(diagnostic)) return "hard";
  if (diagnostic && SOFT_TEXT.test(diagnostic)) return "soft";
  if (status?.startsWith("5.")) return "hard";
  const code = diagnostic ? /\b([45])\d\d\b/.exec(diagnostic)?.[1] : null;
  if (code === "4") return "soft";
  return "unknown";
}

const BOUNCE_FROM = /(mailer-daemon|postmaster|mail delivery (subsystem|system)|microsoftexchange|mail-daemon)/i;
const BOUNCE_SUBJECT =
  /(undeliver|delivery (status notification|failure|has failed)|returned mail|mail delivery failed|failure notice|delivery incomplete|could not be delivered|non ?remis|unzustellbar)/i;
const AUTO_SUBJECT =
  /^(auto(matic|matische)?[ -]?(reply|antwort|response)|out of (the )?office|ooo\b|away from (the )?office|abwesen|absence|r[ée]ponse automatique|vacation|on leave|i am (currently )?out)/i;

function autoReply(e: Email): string | null {
  const as = header(e, "auto-submitted");
  if (as && !/^no\b/i.test(as)) return `Auto-Submitted: ${as}`;
  if (header(e, "x-autoreply") || header(e, "x-autorespond") || header(e, "x-autoresponder")) return "X-Autoreply";
  const prec = header(e, "precedence");
  if (prec && /(auto_reply|bulk|junk|list)/i.test(prec)) return `Precedence: ${prec}`;
  if (header(e, "x-auto-response-suppress") && AUTO_SUBJECT.test(e.subject ?? "")) return "Exchange auto-reply";
  if (AUTO_SUBJECT.test((e.subject ?? "").trim())) return "subject";
  return null;
}

export function classifyInbound(e: Email, raw: string): Inbound {
  const ctype = header(e, "content-type") ?? "";
  const from = (e.from && "address" in e.from ? e.from.address : null) ?? null;
  const embedded = partText(e, "message/rfc822") ?? partText(e, "text/rfc822-headers");
  const refFromBody = () => findSendRef(embedded, e.text, e.html, raw);

  if (/report-type="?feedback-report/i.test(ctype) || partText(e, "message/feedback-report")) {
    const fb = partText(e, "message/feedback-report") ?? "";
    return {
      kind: "complaint",
      feedbackType: field(fb, "Feedback-Type") ?? "abuse",
      recipient: addrOf(field(fb, "Original-Rcpt-To")),
      ref: refFromBody(),
    };
  }

  const ds = partText(e, "message/delivery-status");
  if (ds || /report-type="?delivery-status/i.test(ctype)) {
    const blocks = (ds ?? "").split(/\r?\n\r?\n/);
    const rcpt = blocks.find((b) => /^(Final|Original)-Recipient:/im.test(b)) ?? "";
    const action = field(rcpt, "Action")?.toLowerCase() ?? null;
    const status = field(rcpt, "Status")?.replace(/\s.*$/, "") ?? null;
    const diagnostic = field(rcpt, "Diagnostic-Code");
    return {
      kind: "bounce",
      class: action === "delayed" ? "soft" : classifyStatus(status, diagnostic),
      status,
      diagnostic,
      recipient: addrOf(field(rcpt, "Final-Recipient") ?? field(rcpt, "Original-Recipient")),
      ref: refFromBody(),
      delayed: action === "delayed",
    };
  }

  if (
    (from && BOUNCE_FROM.test(from)) ||
    (BOUNCE_FROM.test(header(e, "from") ?? "") && BOUNCE_SUBJECT.test(e.subject ?? "")) ||
    (BOUNCE_SUBJECT.test(e.subject ?? "") && !header(e, "in-reply-to"))
  ) {
    const body = `${e.text ?? ""}\n${embedded ?? ""}`;
    const status = /\b([45]\.\d{1,3}\.\d{1,3})\b/.exec(body)?.[1] ?? null;
    const diagnostic =
      /((?:[45]\d\d)[ :-].{0,200})/.exec(body)?.[1]?.trim() ?? HARD_TEXT.exec(body)?.[0] ?? SOFT_TEXT.exec(body)?.[0] ?? null;
    const recipient =
      /(?:to|recipient|address)[^\n]*?<?([^\s<>"':;,]+@[^\s<>"':;,]+\.[a-z]{2,})>?/i.exec(e.text ?? "")?.[1]?.toLowerCase() ?? null;
    const delayed =
      /(delayed|will (continue|keep) (trying|to try)|not yet been delivered)/i.test(body) &&
      !/(permanent|failed permanently|will not be delivered)/i.test(body);
    return {
      kind: "bounce",
      class: delayed ? "soft" : classifyStatus(status, diagnostic ?? body),
      status,
      diagnostic,
      recipient,
      ref: refFromBody(),
      delayed,
    };
  }

  const refs = [...allSendRefs(e.inReplyTo), ...allSendRefs(e.references)];
  const ref = refs.at(-1) ?? null;
  if (ref || header(e, "in-reply-to")) {
    const reason = autoReply(e);
    return {
      kind: "reply",
      auto: reason !== null,
      autoReason: reason,
      ref,
      from: from?.toLowerCase() ?? null,
      subject: e.subject ?? "",
      text: (e.text ?? "").slice(0, 100_000),
      messageId: e.messageId?.trim().replace(/^<|>$/g, "") ?? null,
    };
  }
  return { kind: "unknown", reason: "not a bounce, complaint or reply to our mail" };
}
