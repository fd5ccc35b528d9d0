import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SmtpError, SmtpSession } from "../../workers/sending/smtp.ts";

// Our campaign SMTP client against the real smtp-server sink (AUTH required, PIPELINING offered).
const open = () =>
  SmtpSession.open({
    host: "127.0.0.1",
    port: Number(env.TEST_SMTP_PORT),
    security: "none",
    username: "relay-user",
    password: "relay-pass",
    heloName: "session.test",
  });
const message = (to: string, subject: string) =>
  `From: sender@session.test\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${crypto.randomUUID()}@session.test>\r\n\r\nHello\r\n`;

async function received(to: string) {
  const all = (await (await fetch(env.TEST_SMTP_LOG_URL)).json()) as { to: string[]; subject: string }[];
  return all.filter((m) => m.to.includes(to));
}

describe("SmtpSession", () => {
  it("pipelines the envelope, reports a refused recipient as a bounce and keeps the session usable", async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const s = await open();
    try {
      expect(s.capabilities.some((c) => /^PIPELINING/i.test(c))).toBe(true);
      await s.send("sender@session.test", `first-${run}@example.test`, message(`first-${run}@example.test`, "one"));
      const err = await s
        .send("sender@session.test", `bounce-${run}@example.test`, message(`bounce-${run}@example.test`, "x"))
        .catch((e) => e);
      expect(err).toBeInstanceOf(SmtpError);
      expect(err).toMatchObject({ phase: "rcpt", code: 550, outcomeUnknown: false });
      expect(err.permanent).toBe(true);
      // The same session carries the next message (the refused transaction was reset).
      await s.send("sender@session.test", `after-${run}@example.test`, message(`after-${run}@example.test`, "two"));
      // MAIL, RCPT and DATA went out together: no server reply between them in the transcript.
      const i = s.transcript.indexOf(`C: MAIL FROM:<sender@session.test>`);
      expect(s.transcript.slice(i, i + 3)).toEqual([
        "C: MAIL FROM:<sender@session.test>",
        `C: RCPT TO:<first-${run}@example.test>`,
        "C: DATA",
      ]);
    } finally {
      await s.close();
    }
    expect(await received(`first-${run}@example.test`)).toHaveLength(1);
    expect(await received(`after-${run}@example.test`)).toHaveLength(1);
    expect(await received(`bounce-${run}@example.test`)).toHaveLength(0);
  });
});
