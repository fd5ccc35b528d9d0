import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api } from "../../workers/api/app.ts";
import { submitSmtp } from "../../workers/mailer/send.ts";
import { seed } from "../support/api.ts";
import { latestMail } from "../support/outbox.ts";

// Platform mail over real SMTP (cloudflare:sockets → smtp-server started in globalSetup, AUTH required).
const relay = (user = "relay-user", pass = "relay-pass") => `smtp://${user}:${pass}@127.0.0.1:${env.TEST_SMTP_PORT}?tls=off`;

async function received(to: string): Promise<{ subject: string; text: string; user: string | null }[]> {
  const all = (await (await fetch(env.TEST_SMTP_LOG_URL)).json()) as { to: string[]; subject: string; text: string; user: string | null }[];
  return all.filter((m) => m.to.includes(to));
}

describe("platform mailer", () => {
  it("submits over SMTP with AUTH", async () => {
    const to = `mailer-${Date.now()}@example.test`;
    await submitSmtp(relay(), "PenguinMails <no-reply@penguinmails.test>", { to, subject: "Hello over SMTP", text: "Body line" });
    const got = await received(to);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ subject: "Hello over SMTP", user: "relay-user" });
    expect(got[0]!.text.trim()).toBe("Body line");
  });

  it("fails loudly when the relay rejects the credentials", async () => {
    await expect(submitSmtp(relay("relay-user", "wrong"), "a@b.test", { to: "x@example.test", subject: "s", text: "t" })).rejects.toThrow();
  });

  it("delivers a reset link through the relay when SMTP_RELAY_URL is set and records it as sent", async () => {
    const t = await seed("Relay");
    const exec = createExecutionContext();
    const res = await api.request(
      "/api/v1/auth/forgot-password",
      {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.77" },
        body: JSON.stringify({ email: t.email }),
      },
      { ...env, SMTP_RELAY_URL: relay() },
      exec,
    );
    expect(res.status).toBe(202);
    await waitOnExecutionContext(exec);
    const got = await received(t.email);
    expect(got).toHaveLength(1);
    expect(got[0]!.subject).toBe("Reset your PenguinMails password");
    expect(got[0]!.text).toContain("/reset-password?token=");
    const { mail } = await latestMail(t.email, "reset_password");
    expect(mail.status).toBe("sent");
  });
});
