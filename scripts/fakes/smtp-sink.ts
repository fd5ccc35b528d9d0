import net from "node:net";

/**
 * A minimal SMTP sink: EHLO (PIPELINING, AUTH PLAIN/LOGIN), AUTH, MAIL, RCPT, DATA, RSET, NOOP,
 * QUIT; each accepted message is reported with its recipients and thrown away. The send benchmark's
 * sink (bench/send-pipeline) and the demo mailboxes of `npm run dev` deliver to it. Written instead of
 * using smtp-server because smtp-server holds every greeting back 100 ms (its fixed "early talker"
 * check), which the benchmark would measure each time a consumer opens a session. Replies to
 * pipelined commands go out in one write, as real MTAs do.
 */
/** A few header fields of an accepted message (unfolded single lines only; enough for a demo reply). */
export interface SinkHeaders {
  messageId?: string;
  subject?: string;
  from?: string;
  /** The raw body (still transfer-encoded), only when the sink was started with `{ body: true }`. */
  body?: string;
}

export function startCounter(
  user: string,
  pass: string,
  onMessage: (rcpts: string[], headers: SinkHeaders) => void,
  port = 0,
  // Off for the send benchmark: keeping bodies would cost it on every line.
  opts: { body?: boolean } = {},
): Promise<net.Server> {
  const server = net.createServer((sock) => {
    sock.setNoDelay(true);
    let buf = "";
    let state: "cmd" | "data" | "auth-plain" | "auth-user" | "auth-pass" = "cmd";
    let authed = false;
    let login = "";
    let from: string | null = null;
    let rcpts: string[] = [];
    let inHeaders = false;
    let headers: SinkHeaders = {};
    let body: string[] = [];
    const check = (u: string, p: string) => u === user && p === pass;
    const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");
    const plain = (token: string) => {
      const [, u = "", p = ""] = b64(token).split("\u0000");
      return check(u, p);
    };
    sock.write("220 counter ESMTP\r\n");
    sock.on("data", (chunk) => {
      buf += chunk.toString("latin1");
      const out: string[] = [];
      for (let nl = buf.indexOf("\r\n"); nl >= 0; nl = buf.indexOf("\r\n")) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        if (state === "data") {
          if (inHeaders) {
            if (line === "") inHeaders = false;
            else if (/^message-id:/i.test(line)) headers.messageId = line.slice(11).trim();
            else if (/^subject:/i.test(line)) headers.subject = line.slice(8).trim();
            else if (/^from:/i.test(line)) headers.from = line.slice(5).trim();
          } else if (opts.body && line !== ".") body.push(line.startsWith("..") ? line.slice(1) : line);
          if (line === ".") {
            if (opts.body) {
              headers.body = body.join("\r\n");
              body = [];
            }
            onMessage(rcpts, headers);
            out.push("250 2.0.0 OK queued");
            state = "cmd";
            from = null;
            rcpts = [];
          }
          continue;
        }
        if (state === "auth-plain") {
          authed = plain(line);
          state = "cmd";
          out.push(authed ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication failed");
          continue;
        }
        if (state === "auth-user") {
          login = b64(line);
          state = "auth-pass";
          out.push("334 UGFzc3dvcmQ6");
          continue;
        }
        if (state === "auth-pass") {
          authed = check(login, b64(line));
          state = "cmd";
          out.push(authed ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication failed");
          continue;
        }
        const [verb = "", ...args] = line.split(" ");
        switch (verb.toUpperCase()) {
          case "EHLO":
            out.push("250-counter", "250-PIPELINING", "250-8BITMIME", "250 AUTH PLAIN LOGIN");
            break;
          case "HELO":
            out.push("250 counter");
            break;
          case "AUTH":
            if (args[0]?.toUpperCase() === "PLAIN" && args[1]) {
              authed = plain(args[1]);
              out.push(authed ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication failed");
            } else if (args[0]?.toUpperCase() === "PLAIN") {
              state = "auth-plain";
              out.push("334 ");
            } else if (args[0]?.toUpperCase() === "LOGIN") {
              state = "auth-user";
              out.push("334 VXNlcm5hbWU6");
            } else out.push("504 5.5.4 Unrecognized authentication type");
            break;
          case "MAIL":
            if (!authed) out.push("530 5.7.0 Authentication required");
            else {
              from = line.slice(10);
              out.push("250 2.1.0 OK");
            }
            break;
          case "RCPT": {
            const m = /<([^>]*)>/.exec(line);
            if (!from || !m) out.push("503 5.5.1 Bad sequence of commands");
            else {
              rcpts.push(m[1]!);
              out.push("250 2.1.5 OK");
            }
            break;
          }
          case "DATA":
            if (!rcpts.length) out.push("503 5.5.1 No valid recipients");
            else {
              state = "data";
              inHeaders = true;
              headers = {};
              out.push("354 End data with <CR><LF>.<CR><LF>");
            }
            break;
          case "RSET":
            from = null;
            rcpts = [];
            out.push("250 2.0.0 OK");
            break;
          case "NOOP":
            out.push("250 2.0.0 OK");
            break;
          case "QUIT":
            out.push("221 2.0.0 Bye");
            sock.end(`${out.join("\r\n")}\r\n`);
            return;
          default:
            out.push("502 5.5.2 Command not recognized");
        }
      }
      if (out.length) sock.write(`${out.join("\r\n")}\r\n`);
    });
    sock.on("error", () => undefined);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
