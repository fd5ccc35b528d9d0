import { beforeAll, describe, expect, it } from "vitest";
import { type Permission, ROLE_PERMISSIONS } from "../../workers/auth/permissions.ts";
import { type Caller, call, createKey, seed, signInAs } from "../support/api.ts";
import { fillPath, type Operation, operations, sample } from "../support/openapi.ts";
import { latestMail } from "../support/outbox.ts";
import type { SeededTenant } from "../support/seed.ts";

/**
 * The shared tenant-isolation suite. Routes come from the served OpenAPI document, so a new
 * route joins automatically; its `x-permission` (set by guard()) says who may call it.
 *   no credentials → 401 · insufficient role → 403 · API key without the scope → 403
 *   another tenant's id → 404
 */
let doc: any;
let ops: Operation[];
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Caller;
let memberA: Caller;
let narrowKeyA: string;
let idsOfB: Record<string, string>;

const PUBLIC = new Set([
  "POST /auth/sign-up",
  "POST /auth/sign-in",
  "POST /auth/verify-email",
  "POST /auth/forgot-password",
  "POST /auth/reset-password",
  "POST /me/email/confirm",
]);

beforeAll(async () => {
  doc = (await call("GET", "/api/v1/openapi.json")).json;
  ops = operations(doc).filter((o) => o.path !== "/openapi.json");
  a = await seed("IsoA");
  b = await seed("IsoB");
  ownerA = await signInAs(a);
  const ownerB = await signInAs(b);
  narrowKeyA = await createKey(ownerA, ["send"], "narrow");

  // A plain member of tenant A, through the real invitation flow.
  const m = await seed("IsoMember");
  const inv = await call("POST", "/api/v1/invitations", { ...ownerA, body: { email: m.email, role: "member" } });
  expect(inv.status).toBe(201);
  const token = await inviteTokenFor(m.email);
  memberA = await signInAs(m);
  const acc = await call("POST", "/api/v1/invitations/accept", { ...memberA, body: { token } });
  expect(acc.status).toBe(200);
  memberA = { ...memberA, cookie: (acc.headers.get("set-cookie") ?? "").split(";")[0]! };
  memberA.csrf = (await call("GET", "/api/v1/me", memberA)).json.csrfToken;

  // Ids owned by tenant B, for every path parameter the API uses.
  const keyB = await call("POST", "/api/v1/api-keys", { ...ownerB, body: { name: "b", scopes: ["send"] } });
  const invB = await call("POST", "/api/v1/invitations", { ...ownerB, body: { email: "someone-b@example.test" } });
  const sessionsB = await call("GET", "/api/v1/me/sessions", ownerB);
  const leadB = await call("POST", "/api/v1/leads", { ...ownerB, body: { workspaceId: b.workspaceId, email: "lead-b@example.test" } });
  const listB = await call("POST", "/api/v1/lists", { ...ownerB, body: { workspaceId: b.workspaceId, name: "B list" } });
  const supB = await call("POST", "/api/v1/suppressions", { ...ownerB, body: { value: "blocked-b@example.test" } });
  const tplB = await call("POST", "/api/v1/templates", {
    ...ownerB,
    body: { workspaceId: b.workspaceId, name: "B tpl", subject: "Hi", text: 'Hello {{first_name | default: "there"}}' },
  });
  const mbxB = await call("POST", "/api/v1/mailboxes", {
    ...ownerB,
    body: {
      workspaceId: b.workspaceId,
      email: "sender-b@example.test",
      fromName: "B",
      smtpHost: "127.0.0.1",
      smtpPort: 2525,
      smtpSecurity: "none",
      smtpUsername: "u",
      smtpPassword: "p",
    },
  });
  const cmpB = await call("POST", "/api/v1/campaigns", { ...ownerB, body: { name: "B campaign", workspaceId: b.workspaceId } });
  const impB = await call("POST", `/api/v1/lead-imports?workspaceId=${b.workspaceId}&filename=b.csv`, {
    ...ownerB,
    rawBody: "email\nx@example.test\n",
    headers: { "content-type": "text/csv" },
  });
  idsOfB = {
    workspaceId: b.workspaceId,
    userId: b.userId,
    keyId: keyB.json.id,
    invitationId: invB.json.id,
    sessionId: sessionsB.json.items[0].id,
    tenantId: b.tenantId,
    leadId: leadB.json.id,
    listId: listB.json.id,
    suppressionId: supB.json.id,
    importId: impB.json.id,
    templateId: tplB.json.id,
    mailboxId: mbxB.json.id,
    campaignId: cmpB.json.id,
    threadId: await threadOf(b.tenantId, b.workspaceId),
    sendId: "snd_of_b",
    ...(await infraOf(b.tenantId, b.workspaceId)),
    trackingDomainId: (
      await call("POST", "/api/v1/tracking-domains", {
        ...ownerB,
        body: { workspaceId: b.workspaceId, hostname: `track.b${Date.now()}.test` },
      })
    ).json.id,
  };
  for (const [k, v] of Object.entries(idsOfB)) if (!v) throw new Error(`fixture ${k} was not created`);
}, 60_000);

async function inviteTokenFor(email: string): Promise<string> {
  return (await latestMail(email, "invitation")).token!;
}

const label = (o: Operation) => `${o.method} ${o.path}`;
const bodyFor = (o: Operation) => (o.bodySchema ? sample(doc, o.bodySchema) : undefined);
const pathWith = (o: Operation, ids: Record<string, string>) => `/api/v1${fillPath(o.path, ids)}`;
const ownIds = () => ({
  workspaceId: a.workspaceId,
  userId: a.userId,
  keyId: "key_x",
  invitationId: "inv_x",
  sessionId: "ses_x",
  tenantId: a.tenantId,
  leadId: "led_x",
  listId: "lst_x",
  suppressionId: "sup_x",
  importId: "imp_x",
  templateId: "tpl_x",
  mailboxId: "mbx_x",
  campaignId: "cmp_x",
  threadId: "thr_x",
  sendId: "snd_x",
  trackingDomainId: "tdm_x",
  domainId: "dom_x",
  nodeId: "nod_x",
  runId: "run_x",
});

/** A node, a sending domain and a provisioning run in tenant B, written directly. */
async function infraOf(tenantId: string, workspaceId: string) {
  const { seedNode, withScope } = await import("../support/infra.ts");
  const { sendingDomains, provisioningRuns } = await import("../../workers/infra/tables.ts");
  const { runInTx } = await import("../../workers/platform/db.ts");
  const { newId } = await import("../../workers/platform/ids.ts");
  const nodeId = await seedNode(tenantId);
  const domainId = newId("dom");
  const runId = newId("run");
  await withScope(tenantId, (sc) =>
    runInTx(sc.db, { tenantId }, async (tx) => {
      await tx
        .insert(sendingDomains)
        .values({ id: domainId, tenantId, workspaceId, name: `b${Date.now()}.test`, nodeId, dmarcRua: "d@x.test" });
      await tx.insert(provisioningRuns).values({
        id: runId,
        tenantId,
        workspaceId,
        nodeId,
        domainId,
        domainName: `b${Date.now()}.test`,
        status: "failed",
        params: { size: "small", mailboxes: [], applyDns: false },
        steps: [],
      });
    }),
  );
  return { nodeId, domainId, runId };
}

/** An inbox thread in tenant B (threads are created by inbound mail, so the fixture writes one directly). */
async function threadOf(tenantId: string, workspaceId: string): Promise<string> {
  const { scope } = await import("../support/api.ts");
  const { runInTx } = await import("../../workers/platform/db.ts");
  const { inboxThreads } = await import("../../workers/inbox/tables.ts");
  const s = scope();
  try {
    const id = `thr_B${Date.now()}`;
    await runInTx(s.db, { tenantId }, (tx) =>
      tx.insert(inboxThreads).values({ id, tenantId, workspaceId, subject: "B", participant: "p@b.test" }),
    );
    return id;
  } finally {
    await s.dispose();
  }
}

describe("tenant isolation (derived from the OpenAPI document)", () => {
  it("documents a permission for every authenticated route", () => {
    const secured = ops.filter((o) => !PUBLIC.has(label(o)));
    expect(secured.length).toBeGreaterThan(20);
    expect(secured.filter((o) => !o.permission).map(label)).toEqual([]);
  });

  it("rejects calls without credentials with 401", async () => {
    const bad: string[] = [];
    for (const o of ops.filter((o) => !PUBLIC.has(label(o)))) {
      const res = await call(o.method, pathWith(o, ownIds()), { body: bodyFor(o) });
      if (res.status !== 401 || res.json?.error?.code !== "UNAUTHENTICATED") bad.push(`${label(o)} → ${res.status}`);
    }
    expect(bad).toEqual([]);
  });

  it("rejects a member whose role lacks the permission with 403", async () => {
    const bad: string[] = [];
    let checked = 0;
    for (const o of ops) {
      const p = o.permission;
      const denied = p === "owner" || (p?.includes(":") && !ROLE_PERMISSIONS.member.has(p as Permission));
      if (!denied) continue;
      checked++;
      const res = await call(o.method, pathWith(o, ownIds()), { ...memberA, body: bodyFor(o) });
      if (res.status !== 403) bad.push(`${label(o)} → ${res.status}`);
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it("rejects an API key without the scope with 403 (and keys on session-only routes)", async () => {
    const bad: string[] = [];
    for (const o of ops.filter((o) => !PUBLIC.has(label(o)) && o.permission !== "any" && o.permission !== "send")) {
      const send = () =>
        call(o.method, pathWith(o, ownIds()), {
          key: narrowKeyA,
          body: bodyFor(o),
          headers: { origin: "https://evil.test" },
        });
      let res = await send();
      // One key makes a call per route here, more than its per-key burst allows: wait as told, then ask again.
      if (res.status === 429) {
        await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get("retry-after") ?? 1)));
        res = await send();
      }
      if (res.status !== 403) bad.push(`${label(o)} → ${res.status}`);
    }
    expect(bad).toEqual([]);
  });

  it("answers another tenant's ids with 404", async () => {
    const bad: string[] = [];
    const withIds = ops.filter((o) => o.path.includes("{"));
    expect(withIds.length).toBeGreaterThanOrEqual(10);
    for (const o of withIds) {
      const res = await call(o.method, pathWith(o, idsOfB), { ...ownerA, body: bodyFor(o) });
      if (res.status !== 404) bad.push(`${label(o)} → ${res.status} ${res.json?.error?.code}`);
    }
    expect(bad).toEqual([]);
  });

  it("lists no other tenant's events: its campaign or workspace is a 404, its lead or send an empty page", async () => {
    for (const q of [`campaignId=${idsOfB.campaignId}`, `workspaceId=${b.workspaceId}`]) {
      const res = await call("GET", `/api/v1/events?${q}`, ownerA);
      expect([q, res.status]).toEqual([q, 404]);
    }
    for (const q of [`leadId=${idsOfB.leadId}`, `sendId=${idsOfB.sendId}`, "type=opened"]) {
      const res = await call("GET", `/api/v1/events?${q}`, ownerA);
      expect([q, res.status, res.json.items.filter((e: { leadId: string }) => e.leadId === idsOfB.leadId)]).toEqual([q, 200, []]);
    }
  });

  it("refuses cookie-authenticated writes without the CSRF token, and from another origin", async () => {
    const noToken = await call("POST", "/api/v1/workspaces", { cookie: ownerA.cookie, body: { name: "csrf" } });
    expect(noToken.status).toBe(403);
    const evil = await call("POST", "/api/v1/workspaces", { ...ownerA, body: { name: "csrf" }, headers: { origin: "https://evil.test" } });
    expect(evil.status).toBe(403);
    const list = await call("GET", "/api/v1/workspaces", ownerA);
    expect(list.json.items.map((w: { name: string }) => w.name)).not.toContain("csrf");
  });
});
