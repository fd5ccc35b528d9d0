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

  it("writes the next envelope behind each body (one round trip a message); a refused one is still a bounce", async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const to = ["a", "bounce", "b", "c"].map((p) => `${p}-${run}@example.test`);
    const from = "sender@session.test";
    const s = await open();
    const results: unknown[] = [];
    try {
      for (const [i, rcpt] of to.entries()) {
        const next = to[i + 1];
        results.push(await s.send(from, rcpt, message(rcpt, `m${i}`), next ? { from, to: next } : undefined).catch((e) => e));
      }
      // Asking for a different envelope than the one already written ahead is refused, not sent.
      await s.send(from, `x-${run}@example.test`, message(`x-${run}@example.test`, "x"), { from, to: `y-${run}@example.test` });
      const wrong = await s.send(from, `z-${run}@example.test`, message(`z-${run}@example.test`, "z")).catch((e) => e);
      expect(wrong).toBeInstanceOf(SmtpError);
      expect(wrong.code).toBeNull();
      // The first body and the second envelope left in one write: no server reply between them.
      const rcpt = s.transcript.indexOf(`C: RCPT TO:<${to[1]}>`);
      expect(s.transcript[rcpt - 1]).toBe(`C: MAIL FROM:<${from}>`);
      expect(s.transcript[rcpt - 2]).toMatch(/^C: <message, \d+ bytes> \.$/);
    } finally {
      await s.close();
    }
    expect(results[1]).toMatchObject({ phase: "rcpt", code: 550 });
    for (const i of [0, 2, 3]) expect(results[i]).toEqual(expect.any(String));
    for (const rcpt of [to[0]!, to[2]!, to[3]!, `x-${run}@example.test`]) expect(await received(rcpt)).toHaveLength(1);
    expect(await received(to[1]!)).toHaveLength(0);
    expect(await received(`z-${run}@example.test`)).toHaveLength(0);
  });
});
