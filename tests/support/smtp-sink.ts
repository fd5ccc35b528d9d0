import http from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server for tests (smtp-server), requiring AUTH over plain TCP like a local relay,
 * plus a tiny HTTP endpoint listing what it received so tests inside workerd can read it.
 */
export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | null;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export async function startSmtpSink() {
  const received: ReceivedMail[] = [];
  const tempfails = new Map<string, number>();
  const smtp = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === "relay-user" && auth.password === "relay-pass") cb(null, { user: auth.username });
      else cb(new Error("535 5.7.8 Authentication credentials invalid"));
    },
    // Scripted answers by recipient: "bounce…" → 550 (hard), "tempfail…" → 451 on the first try.
    onRcptTo(address, _session, cb) {
      const a = address.address.toLowerCase();
      if (a.startsWith("bounce")) return cb(Object.assign(new Error("5.1.1 No such user here"), { responseCode: 550 }));
      if (a.startsWith("tempfail")) {
        const n = (tempfails.get(a) ?? 0) + 1;
        tempfails.set(a, n);
        if (n === 1) return cb(Object.assign(new Error("4.7.1 Try again later"), { responseCode: 451 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            user: (session.user as string | undefined) ?? null,
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : "",
            // Raw header lines (unfolded), so tests see exactly what was sent.
            headers: Object.fromEntries(
              mail.headerLines.map((h) => [
                h.key,
                h.line
                  .slice(h.line.indexOf(":") + 1)
                  .replace(/\r?\n\s+/g, " ")
                  .trim(),
              ]),
            ),
          });
          cb();
        })
        .catch(cb);
    },
  });
  // Clients that drop the connection (a test killing a session mid-way) must not crash the sink.
  smtp.on("error", () => undefined);
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const log = http.createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(received));
  });
  await new Promise<void>((resolve) => log.listen(0, "127.0.0.1", resolve));
  const logPort = (log.address() as AddressInfo).port;
  return {
    smtpPort,
    logUrl: `http://127.0.0.1:${logPort}/messages`,
    received,
    close: async () => {
      await new Promise<void>((r) => smtp.close(() => r()));
      await new Promise<void>((r) => log.close(() => r()));
    },
  };
}
