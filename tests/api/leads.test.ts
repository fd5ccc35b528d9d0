import { beforeAll, describe, expect, it } from "vitest";
import { type Caller, call, seed, signInAs } from "../support/api.ts";
import type { SeededTenant } from "../support/seed.ts";

let t: SeededTenant;
let s: Caller;
const lead = (email: string, extra: Record<string, unknown> = {}) =>
  call("POST", "/api/v1/leads", { ...s, body: { workspaceId: t.workspaceId, email, ...extra } });

beforeAll(async () => {
  t = await seed("Leads");
  s = await signInAs(t);
});

describe("leads", () => {
  it("normalises the e-mail and refuses a duplicate within the tenant", async () => {
    const r = await lead("  Ada.Lovelace@Example.COM ", { firstName: "Ada", timezone: "Europe/London" });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ email: "ada.lovelace@example.com", status: "active", source: "manual", timezone: "Europe/London" });
    const dup = await lead("ADA.LOVELACE@example.com");
    expect(dup.status).toBe(409);
    expect((await lead("not-an-email")).status).toBe(400);
    expect((await lead("x@example.com", { timezone: "Mars/Olympus" })).status).toBe(400);
  });

  it("validates custom attributes against the tenant's field definitions", async () => {
    expect((await call("POST", "/api/v1/lead-fields", { ...s, body: { key: "seats", label: "Seats", type: "number" } })).status).toBe(200);
    const bad = await lead("attrs@example.com", { attributes: { seats: "many" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toBe("attributes.seats");
    const unknown = await lead("attrs@example.com", { attributes: { nope: 1 } });
    expect(unknown.status).toBe(400);
    const ok = await lead("attrs@example.com", { attributes: { seats: "1,200" } });
    expect(ok.json.attributes).toEqual({ seats: 1200 });
    const upd = await call("PATCH", `/api/v1/leads/${ok.json.id}`, { ...s, body: { company: "Acme", attributes: { seats: 5 } } });
    expect(upd.json).toMatchObject({ company: "Acme", attributes: { seats: 5 } });
    const filtered = await call("GET", `/api/v1/leads?workspaceId=${t.workspaceId}&attribute=seats=5`, s);
    expect(filtered.json.items.map((l: { email: string }) => l.email)).toEqual(["attrs@example.com"]);
  });

  it("searches, filters by list and paginates with a cursor without gaps or repeats", async () => {
    const list = await call("POST", "/api/v1/lists", { ...s, body: { workspaceId: t.workspaceId, name: "Page test" } });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await lead(`page-${i}@pagination.test`, { company: `Pager ${i}` })).json.id);
    await call("POST", "/api/v1/leads/bulk", { ...s, body: { leadIds: ids.slice(0, 5), action: "add_to_list", listId: list.json.id } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { items: { id: string }[]; nextCursor: string | null } } = await call(
        "GET",
        `/api/v1/leads?q=pagination.test&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        s,
      );
      seen.push(...page.json.items.map((l) => l.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
    const inList = await call("GET", `/api/v1/leads?listId=${list.json.id}`, s);
    expect(inList.json.items).toHaveLength(5);
    const del = await call("POST", "/api/v1/leads/bulk", { ...s, body: { leadIds: ids.slice(5), action: "delete" } });
    expect(del.json.affected).toBe(2);
    expect((await call("GET", `/api/v1/leads/${ids[6]}`, s)).status).toBe(404);
  });

  it("exports filtered leads as CSV with formula cells neutralised", async () => {
    await lead("formula@export.test", { firstName: '=HYPERLINK("http://evil")', company: "Export Co" });
    const res = await call("GET", "/api/v1/leads/export.csv?q=export.test", s);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const lines = res.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toContain("email,firstName,lastName,company");
    expect(lines[1]).toContain(`formula@export.test,"'=HYPERLINK(""http://evil"")"`);
  });
});

describe("suppression", () => {
  it("suppresses addresses and whole domains; mayMail answers for every scope", async () => {
    const check = async (email: string) =>
      (await call("GET", `/api/v1/suppressions/check?workspaceId=${t.workspaceId}&email=${encodeURIComponent(email)}`, s)).json;
    expect(await check("someone@competitor.test")).toEqual({ allowed: true });
    const dom = await call("POST", "/api/v1/suppressions", { ...s, body: { value: "@competitor.test", reason: "manual" } });
    expect(dom.status).toBe(201);
    expect(dom.json).toMatchObject({ kind: "domain", value: "competitor.test", scope: "tenant" });
    expect(await check("Someone@Competitor.test")).toMatchObject({ allowed: false, reason: "suppressed", scope: "tenant" });
    const ws = await call("POST", "/api/v1/suppressions", {
      ...s,
      body: { value: "ws-only@example.test", scope: "workspace", workspaceId: t.workspaceId },
    });
    expect(ws.json.scope).toBe("workspace");
    expect(await check("ws-only@example.test")).toMatchObject({ allowed: false, scope: "workspace" });
    expect(await check("bad address")).toMatchObject({ allowed: false, reason: "invalid_address" });
  });

  it("unsubscribing an address changes the lead's status; the list shows entries and removes them", async () => {
    const l = await lead("unsub@example.test");
    await call("POST", "/api/v1/suppressions", { ...s, body: { value: "unsub@example.test", reason: "unsubscribed" } });
    expect((await call("GET", `/api/v1/leads/${l.json.id}`, s)).json.status).toBe("unsubscribed");
    const bulk = await call("POST", "/api/v1/suppressions/import", {
      ...s,
      body: { values: ["a@bulk.test", "@bulk2.test", "not valid", "a@bulk.test"], reason: "imported" },
    });
    expect(bulk.json).toMatchObject({ added: 2, alreadyPresent: 0, invalidCount: 1 });
    const list = await call("GET", "/api/v1/suppressions?q=bulk", s);
    expect(list.json.items.map((x: { value: string }) => x.value).sort()).toEqual(["a@bulk.test", "bulk2.test"]);
    const csv = await call("GET", "/api/v1/suppressions/export.csv", s);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text.split("\r\n")[0]).toBe("value,kind,scope,workspace_id,reason,note,created_at");
    expect(csv.text).toContain("bulk2.test,domain,tenant,,imported");
    const del = await call("DELETE", `/api/v1/suppressions/${list.json.items[0].id}`, s);
    expect(del.status).toBe(200);
  });
});
