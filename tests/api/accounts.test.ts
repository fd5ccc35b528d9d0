import { describe, expect, it } from "vitest";
import { call, seed, signInAs } from "../support/api.ts";
import { latestMail } from "../support/outbox.ts";

const unique = () => Math.random().toString(36).slice(2, 10);

describe("sign-up, verification and sign-in over the API", () => {
  it("signs up, sends a 24 h verification link that works once", async () => {
    const email = `new-${unique()}@example.test`;
    const res = await call("POST", "/api/v1/auth/sign-up", {
      body: { name: "Nia New", email, password: "correct horse 1", company: "Newco" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("set-cookie")).toMatch(/pm_session=.+HttpOnly; SameSite=Lax/i);
    const { token, mail } = await latestMail(email, "verify_email");
    expect(mail.text).toContain("24 hours");
    expect((await call("POST", "/api/v1/auth/verify-email", { body: { token } })).status).toBe(200);
    const again = await call("POST", "/api/v1/auth/verify-email", { body: { token } });
    expect(again.status).toBe(410);
    expect(again.json.error.code).toBe("GONE");
  });

  it("refuses a duplicate e-mail with 409 and creates nothing", async () => {
    const t = await seed("Dup");
    const res = await call("POST", "/api/v1/auth/sign-up", {
      body: { name: "X", email: t.email.toUpperCase(), password: "another pw 1", company: "Other" },
    });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("CONFLICT");
  });

  it("validates input with field issues in the envelope", async () => {
    const res = await call("POST", "/api/v1/auth/sign-up", { body: { name: "", email: "nope", password: "short", company: "" } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("BAD_REQUEST");
    const paths = res.json.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "email", "password", "company"]));
  });

  it("answers malformed JSON and oversized bodies with clear 4xx", async () => {
    const bad = await call("POST", "/api/v1/auth/sign-in", { rawBody: "{not json", headers: { "content-type": "application/json" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("BAD_REQUEST");
    const big = await call("POST", "/api/v1/auth/sign-in", {
      rawBody: "x".repeat(1024 * 1024 + 10),
      headers: { "content-type": "application/json" },
    });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("locks the account after 5 wrong passwords, even for the right one", async () => {
    const t = await seed("Lock");
    for (let i = 0; i < 5; i++) {
      const r = await call("POST", "/api/v1/auth/sign-in", {
        body: { email: t.email, password: "wrong-password" },
        headers: { "cf-connecting-ip": `198.51.100.${i}` },
      });
      expect(r.status).toBe(401);
    }
    const locked = await call("POST", "/api/v1/auth/sign-in", {
      body: { email: t.email, password: t.password },
      headers: { "cf-connecting-ip": "198.51.100.9" },
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(800);
  });

  it("does not reveal whether an address has an account", async () => {
    const t = await seed("Enum");
    const known = await call("POST", "/api/v1/auth/forgot-password", { body: { email: t.email } });
    const unknown = await call("POST", "/api/v1/auth/forgot-password", { body: { email: `ghost-${unique()}@example.test` } });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.text).toBe(unknown.text);
    const wrong = await call("POST", "/api/v1/auth/sign-in", { body: { email: t.email, password: "nope-nope" } });
    const ghost = await call("POST", "/api/v1/auth/sign-in", { body: { email: `ghost-${unique()}@example.test`, password: "nope-nope" } });
    expect(wrong.json.error.message).toBe(ghost.json.error.message);
  });
});

describe("password reset and sessions", () => {
  it("resets with a single-use token, ends other sessions and signs in", async () => {
    const t = await seed("Reset");
    const old = await signInAs(t);
    await call("POST", "/api/v1/auth/forgot-password", { body: { email: t.email } });
    const { token } = await latestMail(t.email, "reset_password");
    const res = await call("POST", "/api/v1/auth/reset-password", { body: { token, password: "brand-new-pass-1" } });
    expect(res.status).toBe(200);
    expect((await call("GET", "/api/v1/me", old)).status).toBe(401);
    const reuse = await call("POST", "/api/v1/auth/reset-password", { body: { token, password: "another-pass-22" } });
    expect(reuse.status).toBe(410);
    expect((await call("POST", "/api/v1/auth/sign-in", { body: { email: t.email, password: "brand-new-pass-1" } })).status).toBe(200);
  });

  it("lists and revokes sessions; sign-out ends the current one", async () => {
    const t = await seed("Sess");
    const s1 = await signInAs(t);
    const s2 = await signInAs(t);
    const list = await call("GET", "/api/v1/me/sessions", s1);
    expect(list.json.items.length).toBe(2);
    const other = list.json.items.find((s: { current: boolean }) => !s.current);
    expect((await call("DELETE", `/api/v1/me/sessions/${other.id}`, s1)).status).toBe(200);
    expect((await call("GET", "/api/v1/me", s2)).status).toBe(401);
    expect((await call("POST", "/api/v1/auth/sign-out", s1)).status).toBe(200);
    expect((await call("GET", "/api/v1/me", s1)).status).toBe(401);
  });

  it("changing the password rotates the session and needs the current password", async () => {
    const t = await seed("Pw");
    const s = await signInAs(t);
    const wrong = await call("POST", "/api/v1/me/password", { ...s, body: { currentPassword: "not-it", newPassword: "new-password-9" } });
    expect(wrong.status).toBe(403);
    const ok = await call("POST", "/api/v1/me/password", { ...s, body: { currentPassword: t.password, newPassword: "new-password-9" } });
    expect(ok.status).toBe(200);
    expect((await call("GET", "/api/v1/me", s)).status).toBe(401);
    const cookie = (ok.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect((await call("GET", "/api/v1/me", { cookie })).status).toBe(200);
  });
});

describe("session policy and token expiry", () => {
  it("signs members out after the tenant's idle timeout, and refuses expired e-mail links", async () => {
    const { scope } = await import("../support/api.ts");
    const { runInTx } = await import("../../workers/platform/db.ts");
    const { sql } = await import("drizzle-orm");
    const t = await seed("Policy");
    const s = await signInAs(t);
    const set = await call("PATCH", "/api/v1/tenant", { ...s, body: { sessionIdleMinutes: 15, sessionMaxDays: 7 } });
    expect(set.json).toMatchObject({ sessionIdleMinutes: 15, sessionMaxDays: 7 });
    expect((await call("GET", "/api/v1/me", s)).status).toBe(200);
    const sc = scope();
    try {
      await runInTx(sc.db, { tenantId: null }, (tx) =>
        tx.execute(sql`update sessions set last_seen_at = now() - interval '20 minutes' where user_id = ${t.userId}`),
      );
      expect((await call("GET", "/api/v1/me", s)).status).toBe(401);

      await call("POST", "/api/v1/auth/forgot-password", { body: { email: t.email }, headers: { "cf-connecting-ip": "192.0.2.99" } });
      const { token } = await latestMail(t.email, "reset_password");
      await runInTx(sc.db, { tenantId: null }, (tx) =>
        tx.execute(sql`update email_tokens set expires_at = now() - interval '1 minute' where user_id = ${t.userId}`),
      );
      const expired = await call("POST", "/api/v1/auth/reset-password", {
        body: { token, password: "brand-new-pass-1" },
        headers: { "cf-connecting-ip": "192.0.2.99" },
      });
      expect(expired.status).toBe(410);
      expect(expired.json.error.code).toBe("GONE");
    } finally {
      await sc.dispose();
    }
  });
});

describe("team, API keys, rate limits and audit", () => {
  it("invites a teammate who joins once; the token cannot be reused", async () => {
    const owner = await seed("Team");
    const mate = await seed("Mate");
    const ownerS = await signInAs(owner);
    const inv = await call("POST", "/api/v1/invitations", {
      ...ownerS,
      body: { email: mate.email, role: "admin", workspaces: [{ id: owner.workspaceId, role: "viewer" }] },
    });
    expect(inv.status).toBe(201);
    const { token } = await latestMail(mate.email, "invitation");
    const mateS = await signInAs(mate);
    const acc = await call("POST", "/api/v1/invitations/accept", { ...mateS, body: { token } });
    expect(acc.status).toBe(200);
    expect(acc.json.tenantId).toBe(owner.tenantId);
    // Accepting switched the session to the new tenant and rotated its token.
    expect((await call("GET", "/api/v1/me", mateS)).status).toBe(401);
    const rotated = { cookie: (acc.headers.get("set-cookie") ?? "").split(";")[0]! };
    const me = await call("GET", "/api/v1/me", rotated);
    expect(me.json.tenant).toMatchObject({ id: owner.tenantId, role: "admin" });
    const reuse = await call("POST", "/api/v1/invitations/accept", { ...rotated, csrf: me.json.csrfToken, body: { token } });
    expect(reuse.status).toBe(410);
    const members = await call("GET", "/api/v1/members", ownerS);
    const m = members.json.items.find((x: { email: string }) => x.email === mate.email);
    expect(m.role).toBe("admin");
    expect(m.workspaces).toEqual([{ id: owner.workspaceId, name: owner.company, role: "viewer" }]);
    const demote = await call("PATCH", `/api/v1/members/${owner.userId}`, { ...ownerS, body: { role: "member" } });
    expect(demote.status).toBe(409);
  });

  it("shows an API key once, authenticates with it, and stops it when revoked", async () => {
    const t = await seed("Keys");
    const s = await signInAs(t);
    const created = await call("POST", "/api/v1/api-keys", { ...s, body: { name: "CRM", scopes: ["workspaces:read"] } });
    expect(created.status).toBe(201);
    expect(created.json.key).toMatch(/^pm_live_[A-Za-z0-9]{32}$/);
    const list = await call("GET", "/api/v1/api-keys", s);
    expect(JSON.stringify(list.json)).not.toContain(created.json.key);
    const ws = await call("GET", "/api/v1/workspaces", { key: created.json.key });
    expect(ws.status).toBe(200);
    expect(ws.json.items.map((w: { id: string }) => w.id)).toEqual([t.workspaceId]);
    expect(ws.headers.get("ratelimit-limit")).toBe("100");
    expect((await call("DELETE", `/api/v1/api-keys/${created.json.id}`, s)).status).toBe(200);
    expect((await call("GET", "/api/v1/workspaces", { key: created.json.key })).status).toBe(401);
  });

  it("rate-limits an API key at the plan's burst with 429, Retry-After and RateLimit headers", async () => {
    const t = await seed("Burst");
    const s = await signInAs(t);
    const key = (await call("POST", "/api/v1/api-keys", { ...s, body: { name: "burst", scopes: ["tenant:read"] } })).json.key;
    let first429: Awaited<ReturnType<typeof call>> | null = null;
    let ok = 0;
    const started = Date.now();
    for (let i = 0; i < 120 && !first429; i++) {
      const r = await call("GET", "/api/v1/tenant", { key });
      if (r.status === 429) first429 = r;
      else ok++;
    }
    // Trial plan: burst 100, refilling at 60/min (one token per second while the loop runs).
    const refilled = Math.ceil((Date.now() - started) / 1000);
    expect(ok).toBeGreaterThanOrEqual(100);
    expect(ok).toBeLessThanOrEqual(100 + refilled);
    expect(first429?.json.error.code).toBe("RATE_LIMITED");
    expect(Number(first429?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(first429?.headers.get("ratelimit-remaining")).toBe("0");
  });

  it("records security and state changes in the audit log with who, what and where", async () => {
    const t = await seed("Audit");
    const s = await signInAs(t);
    await call("POST", "/api/v1/workspaces", {
      ...s,
      body: { name: "Second brand" },
      headers: { "user-agent": "audit-test/1.0", "cf-connecting-ip": "203.0.113.50" },
    });
    const log = await call("GET", "/api/v1/audit-log?limit=10", s);
    const entry = log.json.items.find((e: { action: string }) => e.action === "workspace.create");
    expect(entry).toMatchObject({
      actor: { kind: "user", userId: t.userId },
      ip: "203.0.113.50",
      userAgent: "audit-test/1.0",
      targetType: "workspace",
    });
    expect(entry.requestId).toMatch(/^req_/);
    expect(log.json.items.map((e: { action: string }) => e.action)).toContain("tenant.create");
  });
});

describe("account erasure", () => {
  it("erases a deleted account after its 30-day recovery window, and only then", async () => {
    const { scope } = await import("../support/api.ts");
    const { runInTx } = await import("../../workers/platform/db.ts");
    const { sql } = await import("drizzle-orm");
    const { purgeDeletedAccounts } = await import("../../workers/auth/purge.ts");
    const old = await seed("EraseOld");
    const recent = await seed("EraseRecent");
    for (const t of [old, recent]) {
      const s = await signInAs(t);
      const r = await call("POST", "/api/v1/me/delete", { ...s, body: { confirm: "DELETE", password: t.password } });
      expect(r.status).toBe(200);
    }
    const sc = scope();
    sc.actor = { kind: "system", userId: null, reason: "test" };
    const user = async (id: string) =>
      (
        await runInTx(sc.db, { tenantId: null }, (tx) =>
          tx.execute<{ email: string; name: string; sessions: number }>(
            sql`select email, name, (select count(*)::int from sessions where user_id = ${id}) as sessions from users where id = ${id}`,
          ),
        )
      ).rows[0]!;
    try {
      await runInTx(sc.db, { tenantId: null }, (tx) =>
        tx.execute(sql`update users set deleted_at = now() - interval '31 days' where id = ${old.userId}`),
      );
      const first = await purgeDeletedAccounts(sc);
      expect(first.erased).toBeGreaterThanOrEqual(1);
      expect(await user(old.userId)).toEqual({ email: `${old.userId}@erased.invalid`, name: "Deleted user", sessions: 0 });
      // Still inside its window: untouched, recoverable.
      expect((await user(recent.userId)).email).toBe(recent.email);
      // The address is free again, and running twice changes nothing.
      expect(
        (
          await call("POST", "/api/v1/auth/sign-up", {
            body: { email: old.email, password: old.password, name: "Again", company: "Again Co" },
          })
        ).status,
      ).toBe(201);
      expect((await purgeDeletedAccounts(sc)).erased).toBe(0);
    } finally {
      await sc.dispose();
    }
  });
});
