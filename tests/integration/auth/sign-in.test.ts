import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { resolveSession, revokeSession, SignInInput, signIn, signUp } from "../../../workers/auth/index.ts";
import type { RequestScope } from "../../../workers/platform/context.ts";
import { createDb, type DbHandle } from "../../../workers/platform/db.ts";
import { AppError } from "../../../workers/platform/errors.ts";
import { newId } from "../../../workers/platform/ids.ts";
import { testScope } from "../../support/env.ts";
import { seedTenant } from "../../support/seed.ts";

// The auth verbs against the real database, below HTTP: sign-up's single transaction, sign-in,
// lockout, and the session lifecycle. tests/api/accounts.test.ts covers the same flows over HTTP.
let scope: RequestScope;
let owner: DbHandle;

beforeAll(() => {
  scope = testScope();
  // Reads as the schema owner: RLS would hide another tenant's rows from the app role.
  owner = createDb({ DATABASE_URL: inject("ownerDatabaseUrl"), NEON_WS_PROXY: inject("wsProxy") });
});
afterAll(async () => {
  await scope.dispose();
  await owner.close();
});

const signInWith = (email: string, password: string) => signIn(scope, SignInInput.parse({ email, password }));

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function ownerCount(query: ReturnType<typeof sql>): Promise<number> {
  const r = await owner.db.execute<{ n: number }>(query);
  return r.rows[0]?.n ?? -1;
}

describe("signUp", () => {
  it("creates the user, tenant, owner membership and default workspace together", async () => {
    const t = await seedTenant(scope, "Signup");
    const r = await owner.db.execute<{ email: string; tenant: string; role: string; workspace: string; ws_role: string }>(sql`
      select u.email, te.name as tenant, m.role, w.name as workspace, wm.role as ws_role
      from users u
      join memberships m on m.user_id = u.id
      join tenants te on te.id = m.tenant_id
      join workspaces w on w.tenant_id = te.id
      join workspace_members wm on wm.workspace_id = w.id and wm.user_id = u.id
      where u.id = ${t.userId} and te.id = ${t.tenantId} and w.id = ${t.workspaceId}`);
    expect(r.rows).toEqual([{ email: t.email, tenant: t.company, role: "owner", workspace: t.company, ws_role: "admin" }]);
  });

  it("refuses a duplicate e-mail with CONFLICT and writes nothing", async () => {
    const t = await seedTenant(scope, "Dup");
    const company = `Dup twin ${newId("ten").slice(-8)}`;
    const tenantsNamed = sql`select count(*)::int as n from tenants where name = ${company}`;
    const usersWithEmail = sql`select count(*)::int as n from users where lower(email) = ${t.email}`;
    expect([await ownerCount(tenantsNamed), await ownerCount(usersWithEmail)]).toEqual([0, 1]);

    const err = await rejection(signUp(scope, { name: "Twin", email: t.email.toUpperCase(), password: "another-pw-1", company }));
    expect(err.code).toBe("CONFLICT");

    expect([await ownerCount(tenantsNamed), await ownerCount(usersWithEmail)]).toEqual([0, 1]);
    expect(await ownerCount(sql`select count(*)::int as n from workspaces where name = ${company}`)).toBe(0);
  });
});

describe("signIn and sessions", () => {
  it("signs in and the token resolves to the user in their tenant as owner", async () => {
    const t = await seedTenant(scope, "Signin");
    const res = await signInWith(t.email.toUpperCase(), t.password);
    expect(res).toMatchObject({ userId: t.userId, activeTenantId: t.tenantId });
    const s = await resolveSession(scope, res.token);
    expect(s?.actor).toMatchObject({ kind: "user", userId: t.userId, email: t.email });
    expect(s?.tenant).toEqual({ id: t.tenantId, name: t.company, role: "owner" });
  });

  it("answers a wrong password and an unknown e-mail identically", async () => {
    const t = await seedTenant(scope, "Enum");
    const wrong = await rejection(signInWith(t.email, "not-the-password"));
    const unknown = await rejection(signInWith(`ghost-${newId("usr").slice(-8).toLowerCase()}@enum.test`, t.password));
    expect(wrong.code).toBe("UNAUTHENTICATED");
    expect([unknown.code, unknown.message]).toEqual([wrong.code, wrong.message]);
  });

  it("locks the account after 5 wrong passwords, even against the right one", async () => {
    const t = await seedTenant(scope, "Lock");
    for (let i = 1; i <= 5; i++) {
      expect((await rejection(signInWith(t.email, `wrong-${i}-password`))).code, `attempt ${i}`).toBe("UNAUTHENTICATED");
    }
    const locked = await rejection(signInWith(t.email, t.password));
    expect(locked.code).toBe("RATE_LIMITED");
    expect(locked.details?.retryAfterSeconds).toBeGreaterThan(0);
    expect(locked.details?.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
  });

  it("revokeSession makes the token resolve to null", async () => {
    const t = await seedTenant(scope, "Revoke");
    const { token } = await signInWith(t.email, t.password);
    expect(await resolveSession(scope, token)).not.toBeNull();
    await revokeSession(scope, token);
    expect(await resolveSession(scope, token)).toBeNull();
  });

  it("resolves garbage, empty and oversized tokens to null", async () => {
    expect(await resolveSession(scope, "garbage-token")).toBeNull();
    expect(await resolveSession(scope, "")).toBeNull();
    expect(await resolveSession(scope, "x".repeat(500))).toBeNull();
  });
});
