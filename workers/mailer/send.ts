import { eq } from "drizzle-orm";
import type { Ctx } from "../platform/context.ts";
import { runInTx, type Tx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { platformMail } from "./tables.ts";

export interface PlatformMessage {
  kind: "verify_email" | "reset_password" | "change_email" | "invitation" | "account_deleted" | "infra_alert";
  to: string;
  subject: string;
  text: string;
}

/**
 * Records a platform message in the caller's transaction (so it exists exactly when the change
 * that caused it does). Returns a function to call after commit that submits it to the relay.
 */
export async function recordMail(tx: Tx, ctx: Ctx, msg: PlatformMessage): Promise<() => void> {
  const id = newId("pml");
  const relay = ctx.config.SMTP_RELAY_URL;
  await tx.insert(platformMail).values({
    id,
    kind: msg.kind,
    toAddress: msg.to,
    subject: msg.subject,
    text: msg.text,
    status: relay ? "queued" : "captured",
  });
  if (!relay) return () => undefined;
  return () => ctx.waitUntil(deliver(ctx, id, relay, msg));
}

async function deliver(ctx: Ctx, id: string, relayUrl: string, msg: PlatformMessage) {
  let status: "sent" | "failed" = "sent";
  let error: string | null = null;
  try {
    await submitSmtp(relayUrl, ctx.config.MAIL_FROM, msg);
  } catch (err) {
    status = "failed";
    // The relay's answer, without the URL (it carries credentials).
    error = err instanceof Error ? err.message.slice(0, 500) : "unknown error";
    ctx.log.error("mail.failed", { mailId: id, kind: msg.kind, error });
  }
  await runInTx(ctx.db, { tenantId: null }, (tx) => tx.update(platformMail).set({ status, error }).where(eq(platformMail.id, id)));
}

/** SMTP submission over cloudflare:sockets; imported lazily so Node scripts never load it. */
export async function submitSmtp(relayUrl: string, from: string, msg: Pick<PlatformMessage, "to" | "subject" | "text">) {
  const { WorkerMailer } = await import("worker-mailer");
  const u = new URL(relayUrl);
  const implicitTls = u.protocol === "smtps:";
  const plain = u.searchParams.get("tls") === "off"; // local test relays only
  await WorkerMailer.send(
    {
      host: u.hostname,
      port: Number(u.port),
      secure: implicitTls,
      startTls: !implicitTls && !plain,
      ...(u.username
        ? {
            credentials: { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) },
            authType: ["plain", "login"],
          }
        : {}),
      socketTimeoutMs: 10_000,
      responseTimeoutMs: 10_000,
    },
    { from: parseMailbox(from), to: msg.to, subject: msg.subject, text: msg.text },
  );
}

/** "Name <addr@host>" → { name, email }: worker-mailer puts `from` verbatim into MAIL FROM otherwise. */
export function parseMailbox(value: string): { name?: string; email: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (!m) return { email: value.trim() };
  return m[1] ? { name: m[1], email: m[2]!.trim() } : { email: m[2]!.trim() };
}
