import { connect } from "cloudflare:sockets";

/**
 * A small SMTP submission client over cloudflare:sockets (RFC 5321 + STARTTLS 3207 + AUTH 4954).
 * We speak SMTP ourselves for campaign mail instead of worker-mailer because exactly-once delivery
 * needs to know *where* a failure happened: a 5xx to RCPT is a hard bounce, a 4xx anywhere is
 * retryable, and a connection lost after the final "." is an outcome we cannot know.
 */
export type SmtpSecurity = "starttls" | "tls" | "none";

export interface SmtpOptions {
  host: string;
  port: number;
  security: SmtpSecurity;
  username?: string;
  password?: string;
  heloName?: string;
  /** Wait for any reply but the one to a message's final "." (default 15 s: fail fast, retry later). */
  timeoutMs?: number;
  /**
   * Wait for the reply to the final "." (default 120 s). Longer than the others because a timeout
   * here makes the outcome `unknown` (never resent) while servers scan content before answering;
   * shorter than RFC 5321's 10 minutes so one slow server cannot use up the consumer's time.
   */
  dataTimeoutMs?: number;
}

export type SmtpPhase = "connect" | "greeting" | "ehlo" | "starttls" | "auth" | "mail" | "rcpt" | "data" | "body";

export class SmtpError extends Error {
  override readonly name = "SmtpError";
  readonly phase: SmtpPhase;
  readonly code: number | null;
  /** True when the server may have accepted the message (lost after the final "." was sent). */
  readonly outcomeUnknown: boolean;
  constructor(phase: SmtpPhase, code: number | null, message: string, outcomeUnknown = false) {
    super(message);
    this.phase = phase;
    this.code = code;
    this.outcomeUnknown = outcomeUnknown;
  }
  get permanent(): boolean {
    return this.code !== null && this.code >= 500;
  }
}

interface Reply {
  code: number;
  lines: string[];
}

export class SmtpSession {
  private socket: ReturnType<typeof connect>;
  private reader: ReadableStreamDefaultReader<Uint8Array>;
  private writer: WritableStreamDefaultWriter<Uint8Array>;
  private buf = "";
  private readonly dec = new TextDecoder();
  private readonly enc = new TextEncoder();
  readonly transcript: string[] = [];
  capabilities: string[] = [];
  private readonly timeoutMs: number;
  private readonly dataTimeoutMs: number;

  private constructor(socket: ReturnType<typeof connect>, timeoutMs: number, dataTimeoutMs: number) {
    this.socket = socket;
    this.reader = socket.readable.getReader();
    this.writer = socket.writable.getWriter();
    this.timeoutMs = timeoutMs;
    this.dataTimeoutMs = dataTimeoutMs;
  }

  /** Connects, greets, upgrades to TLS when asked and authenticates. */
  static async open(o: SmtpOptions): Promise<SmtpSession> {
    let socket: ReturnType<typeof connect>;
    try {
      socket = connect(
        { hostname: o.host, port: o.port },
        { secureTransport: o.security === "tls" ? "on" : o.security === "starttls" ? "starttls" : "off", allowHalfOpen: false },
      );
    } catch (err) {
      throw new SmtpError("connect", null, `Could not connect to ${o.host}:${o.port}: ${(err as Error).message}`);
    }
    const s = new SmtpSession(socket, o.timeoutMs ?? 15_000, o.dataTimeoutMs ?? 120_000);
    try {
      await s.expect("greeting", [220]);
      const helo = o.heloName ?? "penguinmails.local";
      await s.ehlo(helo);
      if (o.security === "starttls") {
        if (!s.capabilities.some((c) => c.toUpperCase() === "STARTTLS"))
          throw new SmtpError("starttls", null, "The server does not offer STARTTLS.");
        await s.command("starttls", "STARTTLS", [220]);
        // Anything the server sent in plaintext after its 220 must not be read as a reply inside
        // TLS (command injection, CVE-2011-0411 class).
        if (s.buf.length) throw new SmtpError("starttls", null, "The server sent data before the TLS handshake.");
        s.reader.releaseLock();
        s.writer.releaseLock();
        s.socket = s.socket.startTls();
        s.reader = s.socket.readable.getReader();
        s.writer = s.socket.writable.getWriter();
        await s.ehlo(helo);
      }
      if (o.username) await s.auth(o.username, o.password ?? "");
      return s;
    } catch (err) {
      await s.close();
      throw err instanceof SmtpError ? err : new SmtpError("connect", null, (err as Error).message);
    }
  }

  private async ehlo(name: string) {
    const r = await this.command("ehlo", `EHLO ${name}`, [250]);
    this.capabilities = r.lines.slice(1).map((l) => l.trim());
  }

  private async auth(user: string, pass: string) {
    const authLine = this.capabilities.find((c) => /^AUTH[ =]/i.test(c)) ?? "";
    const methods = authLine.toUpperCase().split(/[ =]/).slice(1);
    if (methods.includes("PLAIN") || !methods.includes("LOGIN")) {
      const token = btoa(String.fromCharCode(...this.enc.encode(`\u0000${user}\u0000${pass}`)));
      await this.command("auth", `AUTH PLAIN ${token}`, [235], "AUTH PLAIN ***");
    } else {
      await this.command("auth", "AUTH LOGIN", [334]);
      await this.command("auth", btoa(String.fromCharCode(...this.enc.encode(user))), [334], "***");
      await this.command("auth", btoa(String.fromCharCode(...this.enc.encode(pass))), [235], "***");
    }
  }

  /** The envelope of the next message, already written behind the previous message's body. */
  private ahead: { from: string; to: string } | null = null;

  private get pipelining() {
    return this.capabilities.some((c) => /^PIPELINING\b/i.test(c));
  }

  /**
   * Submits one message. `data` is the full RFC 5322 message with CRLF line endings. Resolves with
   * the server's final reply (which usually names its queue id). With `next`, the next message's
   * envelope goes out in the same write as this body (RFC 2920 §3.1: message content may open a
   * group), so a session carrying many messages costs one round trip per message, not two; the
   * next call must then be for that envelope.
   */
  async send(envelopeFrom: string, to: string, data: string, next?: { from: string; to: string }): Promise<string> {
    try {
      if (this.ahead) {
        if (this.ahead.from !== envelopeFrom || this.ahead.to !== to)
          throw new SmtpError("mail", null, "A different envelope was already sent ahead on this session.");
        this.ahead = null;
        await this.envelopeReplies();
      } else if (this.pipelining) await this.pipelinedEnvelope(envelopeFrom, to);
      else {
        await this.command("mail", `MAIL FROM:<${envelopeFrom}>`, [250]);
        await this.command("rcpt", `RCPT TO:<${to}>`, [250, 251]);
        await this.command("data", "DATA", [354]);
      }
    } catch (err) {
      // A refused envelope leaves the transaction open; without RSET the next MAIL FROM in this
      // session would be refused as nested, failing a message that did nothing wrong.
      if (err instanceof SmtpError && err.code !== null) await this.reset();
      throw err;
    }
    // Dot-stuffing (RFC 5321 §4.5.2) and the terminating "." line.
    const body = data.replace(/\r?\n/g, "\r\n").replace(/^\./gm, "..");
    const ahead = next && this.pipelining ? next : null;
    this.transcript.push(`C: <message, ${body.length} bytes> .`);
    try {
      await this.writer.write(
        this.enc.encode(`${body}${body.endsWith("\r\n") ? "" : "\r\n"}.\r\n${ahead ? this.envelopeLines(ahead.from, ahead.to) : ""}`),
      );
      this.ahead = ahead;
    } catch (err) {
      throw new SmtpError("body", null, `Connection lost while sending the message: ${(err as Error).message}`, true);
    }
    let reply: Reply;
    try {
      reply = await this.read(this.dataTimeoutMs);
    } catch (err) {
      throw new SmtpError("body", null, `No answer after the message was sent: ${(err as Error).message}`, true);
    }
    this.transcript.push(`S: ${reply.code} ${reply.lines.at(-1) ?? ""}`);
    if (reply.code !== 250) throw new SmtpError("body", reply.code, `${reply.code} ${reply.lines.join(" ")}`);
    return reply.lines.join(" ");
  }

  /**
   * RFC 2920: MAIL, RCPT and DATA in one write, then their three replies in order — one round trip
   * instead of three. Every reply is read even after a refusal so the stream stays in step; the
   * first refusal is reported with its own phase, so a 5xx to RCPT is still a bounce.
   */
  private async pipelinedEnvelope(envelopeFrom: string, to: string) {
    try {
      await this.writer.write(this.enc.encode(this.envelopeLines(envelopeFrom, to)));
    } catch (err) {
      throw new SmtpError("mail", null, `Connection lost: ${(err as Error).message}`);
    }
    await this.envelopeReplies();
  }

  /** Reads the replies to a pipelined MAIL, RCPT and DATA (written by pipelinedEnvelope or ahead of time). */
  private async envelopeReplies() {
    const steps: [SmtpPhase, number[]][] = [
      ["mail", [250]],
      ["rcpt", [250, 251]],
      ["data", [354]],
    ];
    let first: SmtpError | null = null;
    let dataOpen = false;
    for (const [phase, ok] of steps) {
      try {
        await this.expect(phase, ok);
        if (phase === "data") dataOpen = true;
      } catch (err) {
        // The connection itself failed: report the first refusal if one came before it (a bounce stays a bounce).
        if (!(err instanceof SmtpError) || err.code === null) throw first ?? err;
        first ??= err;
      }
    }
    if (first && dataOpen) {
      // DATA was accepted although the envelope was not: end the empty transaction (RFC 2920 §3.1).
      await this.writer.write(this.enc.encode(".\r\n")).catch(() => undefined);
      await this.read().catch(() => undefined);
    }
    if (first) throw first;
  }

  private envelopeLines(from: string, to: string) {
    const lines = [`MAIL FROM:<${from}>`, `RCPT TO:<${to}>`, "DATA"];
    for (const l of lines) this.transcript.push(`C: ${l}`);
    return lines.map((l) => `${l}\r\n`).join("");
  }

  /** RSET after a refused envelope so the session can carry the next message. */
  async reset() {
    await this.command("mail", "RSET", [250]).catch(() => undefined);
  }

  async close() {
    try {
      await Promise.race([this.writer.write(this.enc.encode("QUIT\r\n")), new Promise((r) => setTimeout(r, 500))]);
    } catch {
      // already gone
    }
    try {
      await this.socket.close();
    } catch {
      // already closed
    }
  }

  private async command(phase: SmtpPhase, line: string, ok: number[], shown = line): Promise<Reply> {
    this.transcript.push(`C: ${shown}`);
    try {
      await this.writer.write(this.enc.encode(`${line}\r\n`));
    } catch (err) {
      throw new SmtpError(phase, null, `Connection lost: ${(err as Error).message}`);
    }
    return this.expect(phase, ok);
  }

  private async expect(phase: SmtpPhase, ok: number[]): Promise<Reply> {
    let r: Reply;
    try {
      r = await this.read();
    } catch (err) {
      throw new SmtpError(phase, null, (err as Error).message);
    }
    this.transcript.push(`S: ${r.code} ${r.lines.join(" | ")}`);
    if (!ok.includes(r.code)) throw new SmtpError(phase, r.code, `${r.code} ${r.lines.join(" ")}`);
    return r;
  }

  /** Reads one (possibly multi-line) reply: lines "250-…" continue, "250 …" ends it. */
  private async read(timeoutMs = this.timeoutMs): Promise<Reply> {
    const lines: string[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const nl = this.buf.indexOf("\r\n");
      if (nl >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 2);
        const code = Number(line.slice(0, 3));
        if (!Number.isInteger(code)) throw new Error(`Unreadable SMTP reply: ${line.slice(0, 100)}`);
        lines.push(line.slice(4));
        if (line[3] !== "-") return { code, lines };
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("Timed out waiting for the SMTP server");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("Timed out waiting for the SMTP server")), left);
        }),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new Error("The SMTP server closed the connection");
      this.buf += this.dec.decode(chunk.value, { stream: true });
      if (this.buf.length > 64 * 1024) throw new Error("SMTP reply too long");
    }
  }
}
