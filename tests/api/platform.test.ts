import { describe, expect, it } from "vitest";
import { grantStaffRole } from "../../workers/staff/service.ts";
import { call, scope, seed, signInAs } from "../support/api.ts";

async function staff(role: "super_admin" | "admin" | "support" | "qa") {
  const t = await seed(`Staff${role}`);
  const s = scope();
  try {
    await grantStaffRole(s, t.email, role);
  } finally {
    await s.dispose();
  }
  return signInAs(t);
}

describe("platform staff routes", () => {
  it("are invisible (404) to customers", async () => {
    const customer = await signInAs(await seed("Cust"));
    expect((await call("GET", "/api/v1/platform/tenants", customer)).status).toBe(404);
  });

  it("let an admin list and suspend a tenant; the tenant's users lose access until unsuspended", async () => {
    const admin = await staff("admin");
    const victim = await seed("Victim");
    const victimS = await signInAs(victim);
    const list = await call("GET", `/api/v1/platform/tenants?search=${encodeURIComponent(victim.company)}`, admin);
    expect(list.status).toBe(200);
    expect(list.json.items.map((t: { id: string }) => t.id)).toEqual([victim.tenantId]);

    const sus = await call("POST", `/api/v1/platform/tenants/${victim.tenantId}/suspend`, {
      ...admin,
      body: { reason: "abuse report #42" },
    });
    expect(sus.json).toEqual({ id: victim.tenantId, status: "suspended" });
    const blocked = await call("GET", "/api/v1/workspaces", victimS);
    expect(blocked.status).toBe(403);

    await call("POST", `/api/v1/platform/tenants/${victim.tenantId}/unsuspend`, { ...admin, body: { reason: "resolved" } });
    expect((await call("GET", "/api/v1/workspaces", victimS)).status).toBe(200);

    const trail = await call("GET", `/api/v1/platform/tenants/${victim.tenantId}/audit`, admin);
    const actions = trail.json.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["tenant.suspend", "tenant.unsuspend", "tenant.create"]));
  });

  it("let support read an audit trail without PII but not suspend", async () => {
    const support = await staff("support");
    const t = await seed("Supported");
    const trail = await call("GET", `/api/v1/platform/tenants/${t.tenantId}/audit`, support);
    expect(trail.status).toBe(200);
    expect(trail.json.items.length).toBeGreaterThan(0);
    expect(trail.json.items.every((e: { ip: unknown; summary: unknown }) => e.ip === null && e.summary === null)).toBe(true);
    const sus = await call("POST", `/api/v1/platform/tenants/${t.tenantId}/suspend`, { ...support, body: { reason: "curious" } });
    expect(sus.status).toBe(403);
  });
});
