import PostalMime from "postal-mime";
import { classifyInbound, type Inbound } from "./classify.ts";

/** Raw RFC 822 bytes → parsed message → classification. Attached reports come back as text. */
export async function parseInbound(raw: string | Uint8Array): Promise<{ inbound: Inbound; messageId: string | null; subject: string }> {
  const text = typeof raw === "string" ? raw : new TextDecoder().decode(raw);
  const email = await PostalMime.parse(text, { attachmentEncoding: "utf8", rfc822Attachments: true, maxNestingDepth: 20 });
  return { inbound: classifyInbound(email, text.slice(0, 2_000_000)), messageId: email.messageId ?? null, subject: email.subject ?? "" };
}
