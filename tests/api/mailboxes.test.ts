import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type Caller, call, scope, seed, signInAs } from "../support/api.ts";
import type { SeededTenant } from "../support/seed.ts";

// The connection test speaks real SMTP to the sink started in globalSetup (AUTH relay-user/relay-pass).
let t: SeededTenant;
let s: Caller;
beforeAll(async () => {
  t = await seed("Mbx");
  s = await signInAs(t);
});

const mailbox = (extra: Record<string, unknown> = {}) => ({
  workspaceId: t.workspaceId,
  email: `sender-${Math.random().toString(36).slice(2, 8)}@acme.test`,
  fromName: "Ann from Acme",
  smtpHost: "127.0.0.1",
  smtpPort: Number(env.TEST_SMTP_PORT),
  smtpSecurity: "none",
  smtpUsername: "relay-user",
  smtpPassword: "relay-pass",
  ...extra,
});

describe("mailboxes", () => {
  it("stores the password encrypted and never returns it", async () => {
    const r = await call("POST", "/api/v1/mailboxes", { ...s, body: mailbox() });
    expect(r.status).toBe(201);
    expect(r.text).not.toContain("relay-pass");
    expect(r.json).toMatchObject({ dailyLimit: 50, minGapSeconds: 120, status: "active", smtpSecurity: "none" });
    const sc = scope();
    try {
      const { withTx } = await import("../../workers/platform/context.ts");
      sc.tenant = { id: t.tenantId, name: "", role: "owner" };
      const rows = await withTx(sc, (tx) =>
        tx.execute<{ smtp_password_enc: string }>(`select smtp_password_enc from mailboxes where id = '${r.json.id}'` as never),
      );
      expect(rows.rows[0]!.smtp_password_enc).toMatch(/^pmsec:1:t1:/);
    } finally {
      await sc.dispose();
    }
  });

  it("tests the connection for real and records the answer", async () => {
    const ok = await call("POST", "/api/v1/mailboxes", { ...s, body: mailbox() });
    const tested = await call("POST", `/api/v1/mailboxes/${ok.json.id}/test`, s);
    expect(tested.json.lastTest).toMatchObject({ ok: true });
    expect(tested.json.lastTest.transcript.join("\n")).toMatch(/C: AUTH PLAIN \*\*\*/);
    expect(tested.json.lastTest.transcript.join("\n")).not.toContain("relay-pass");

    const bad = await call("POST", "/api/v1/mailboxes", { ...s, body: mailbox({ smtpPassword: "wrong" }) });
    const failed = await call("POST", `/api/v1/mailboxes/${bad.json.id}/test`, s);
    expect(failed.json.lastTest).toMatchObject({ ok: false, phase: "auth" });
    expect(failed.json.status).toBe("error");
    expect(failed.json.statusReason).toMatch(/Authentication failed/);
    // Fixing the password clears the error; the next test confirms it.
    const fixed = await call("PATCH", `/api/v1/mailboxes/${bad.json.id}`, { ...s, body: { smtpPassword: "relay-pass" } });
    expect(fixed.json.status).toBe("active");

    const closed = await call("POST", "/api/v1/mailboxes", { ...s, body: mailbox({ smtpPort: 47 }) });
    const refused = await call("POST", `/api/v1/mailboxes/${closed.json.id}/test`, s);
    expect(refused.json.lastTest).toMatchObject({ ok: false });
    expect(refused.json.status).toBe("active");
  });

  it("refuses port 25, limits outside 10–500 and plain SMTP to remote hosts", async () => {
    expect((await call("POST", "/api/v1/mailboxes", { ...s, body: mailbox({ smtpPort: 25 }) })).status).toBe(400);
    expect((await call("POST", "/api/v1/mailboxes", { ...s, body: mailbox({ dailyLimit: 501 }) })).status).toBe(400);
    const remote = await call("POST", "/api/v1/mailboxes", { ...s, body: mailbox({ smtpHost: "smtp.example.com" }) });
    expect(remote.status).toBe(400);
    expect(remote.json.error.message).toMatch(/STARTTLS/);
  });
});
