import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from "cloudflare:test";
import { env as cfEnv } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createImport, startImport } from "../../workers/leads/imports/service.ts";
import { processImportStep } from "../../workers/leads/imports/step.ts";
import { runInTx } from "../../workers/platform/db.ts";
import { newId } from "../../workers/platform/ids.ts";
import { handleQueue } from "../../workers/queues/index.ts";
import { mayMail } from "../../workers/suppression/may-mail.ts";
import { type Caller, call, scope, seed, signInAs } from "../support/api.ts";
import type { SeededTenant } from "../support/seed.ts";

const env = cfEnv as unknown as Env;

/** Regression tests for the review findings: queue redelivery, dead-letter queues, mailbox status, bulk suppression. */

/** Runs the Worker's queue() handler on a hand-made batch and returns what it acked and retried. */
async function deliver(queue: string, messages: { id: string; body: unknown; attempts?: number }[]) {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })),
  );
  const exec = createExecutionContext();
  await handleQueue(batch, env, exec);
  return getQueueResult(batch, exec);
}

async function asTenant<T>(tenantId: string, fn: (tx: Parameters<Parameters<typeof runInTx>[2]>[0]) => Promise<T>): Promise<T> {
  const sc = scope();
  try {
    return await runInTx(sc.db, { tenantId }, fn);
  } finally {
    await sc.dispose();
  }
}

describe("tracking events are recorded once across queue redelivery", () => {
  /** A tenant with one campaign and one sent message to track. */
  async function sentMessage(label: string) {
    const t = await seed(label);
    const s = await signInAs(t);
    const lead = await call("POST", "/api/v1/leads", {
      ...s,
      body: { workspaceId: t.workspaceId, email: `reader@${label.toLowerCase()}.test` },
    });
    const cmp = await call("POST", "/api/v1/campaigns", {
      ...s,
      body: { name: "Tracked", workspaceId: t.workspaceId, steps: [{ variants: [{ subject: "Hi", text: "Hello" }] }] },
    });
    expect([lead.status, cmp.status]).toEqual([201, 201]);
    const enrollmentId = newId("enr");
    const sendId = newId("snd");
    await asTenant(t.tenantId, async (tx) => {
      await tx.execute(
        sql`insert into enrollments (id, tenant_id, campaign_id, lead_id) values (${enrollmentId}, ${t.tenantId}, ${cmp.json.id}, ${lead.json.id})`,
      );
      await tx.execute(sql`insert into sends (id, tenant_id, campaign_id, enrollment_id, lead_id, step_id, variant_id, idempotency_key, status, sent_at)
        values (${sendId}, ${t.tenantId}, ${cmp.json.id}, ${enrollmentId}, ${lead.json.id}, 'stp_x', 'var_x', ${`test:${sendId}`}, 'sent', now())`);
    });
    return { tenantId: t.tenantId, campaignId: cmp.json.id as string, sendId };
  }

  const stats = (tenantId: string, campaignId: string) =>
    asTenant(tenantId, async (tx) => ({
      rollup: (
        await tx.execute<{ type: string; count: number; unique_count: number }>(
          sql`select type, count, unique_count from campaign_daily_stats where campaign_id = ${campaignId} order by type`,
        )
      ).rows,
      events: (
        await tx.execute<{ type: string; machine: string | null }>(
          sql`select type, meta ->> 'machine' as machine from email_events where campaign_id = ${campaignId} order by type, machine nulls first`,
        )
      ).rows,
    }));

  // Both shapes: messages of one hit each (what may still be on the queue from before hits were
  // packed) and `track.hits` messages carrying several.
  it.each(["one hit per message", "track.hits"] as const)(
    "a tenant that fails does not hold back the others, and the retried batch counts nothing twice (%s)",
    async (shape) => {
      const a = await sentMessage(`TrackA${shape.length}`);
      const b = await sentMessage(`TrackB${shape.length}`);
      const now = Date.now();
      const hit = (m: { tenantId: string; campaignId: string; sendId: string }, extra: Record<string, unknown>) => ({
        tenantId: m.tenantId,
        campaignId: m.campaignId,
        sendId: m.sendId,
        at: now,
        flag: null,
        ...extra,
      });
      const run = Math.random().toString(36).slice(2);
      /** Queue messages for hits, in the shape under test; ids are stable, as Queues keeps them across retries. */
      const messages = (id: string, hits: ReturnType<typeof hit>[]) =>
        shape === "track.hits"
          ? [{ id, body: { kind: "track.hits", hits } }]
          : hits.map((h, i) => ({ id: `${id}-${i}`, body: { kind: "track", ...h } }));
      const aMsgs = messages(`${run}-a`, [
        hit(a, { type: "opened" }),
        hit(a, { type: "clicked", url: "https://example.com/x" }),
        hit(a, { type: "opened", flag: "apple_mpp" }),
      ]);
      // Tenant B's hit carries a time Postgres refuses (year 275760), as an outage for B alone
      // would. B comes first in the batch: its failure must not keep A's hits from committing.
      const bad = messages(`${run}-b`, [hit(b, { type: "opened", at: 8.64e15 })]);

      const first = await deliver("pm-events", [...bad, ...aMsgs]);
      expect(first.retryMessages.map((m) => m.msgId).sort()).toEqual([...aMsgs, ...bad].map((m) => m.id).sort());
      const afterFirst = await stats(a.tenantId, a.campaignId);
      expect(afterFirst.rollup).toEqual([
        { type: "clicked", count: 1, unique_count: 1 },
        { type: "opened", count: 1, unique_count: 1 },
      ]);

      // The queue redelivers the same messages (same ids), this time with a new human open beside them.
      const again = await deliver("pm-events", [
        ...aMsgs.map((m) => ({ ...m, attempts: 2 })),
        ...messages(`${run}-a-2`, [hit(a, { type: "opened", at: now + 1000 })]),
      ]);
      expect(again.retryMessages).toEqual([]);
      const afterRetry = await stats(a.tenantId, a.campaignId);
      // Only the new open counts, and not as unique (the send was opened before).
      expect(afterRetry.rollup).toEqual([
        { type: "clicked", count: 1, unique_count: 1 },
        { type: "opened", count: 2, unique_count: 1 },
      ]);
      // Machine hits are still stored, flagged, and never counted.
      expect(afterRetry.events).toEqual([
        { type: "clicked", machine: null },
        { type: "opened", machine: null },
        { type: "opened", machine: null },
        { type: "opened", machine: "apple_mpp" },
      ]);
      expect((await stats(b.tenantId, b.campaignId)).events).toEqual([]);
    },
    60_000,
  );

  it("drops a malformed hit alone: the good hits of its message are recorded and the message is acked", async () => {
    const a = await sentMessage("TrackPoison");
    const run = Math.random().toString(36).slice(2);
    const good = { tenantId: a.tenantId, campaignId: a.campaignId, sendId: a.sendId, type: "opened", at: Date.now(), flag: null };
    const res = await deliver("pm-events", [
      { id: `${run}-mixed`, body: { kind: "track.hits", hits: [{ ...good, type: "viewed" }, good, { tenantId: a.tenantId }] } },
    ]);
    expect([res.retryMessages, res.explicitAcks]).toEqual([[], [`${run}-mixed`]]);
    expect((await stats(a.tenantId, a.campaignId)).rollup).toEqual([{ type: "opened", count: 1, unique_count: 1 }]);
  }, 60_000);
});

describe("dead-letter queues", () => {
  let t: SeededTenant;
  let s: Caller;
  const importScope = () => {
    const sc = scope();
    sc.actor = { kind: "user", userId: t.userId, sessionId: "ses_test", email: t.email, name: "T" };
    sc.tenant = { id: t.tenantId, name: "", role: "owner" };
    return sc;
  };
  // A stand-in for IMPORT_QUEUE, so no real step message races the test.
  const bindings = () => ({ bucket: env.LEAD_IMPORTS, queue: { send: async () => undefined } as unknown as Queue<unknown> });

  async function startedImport(rows: number) {
    t ??= await seed("Dlq");
    s ??= await signInAs(t);
    let csv = "email\n";
    const tag = Math.random().toString(36).slice(2, 8);
    for (let i = 0; i < rows; i++) csv += `r${i}@dlq-${tag}.test\n`;
    const bytes = new TextEncoder().encode(csv);
    const sc = importScope();
    try {
      const imp = await createImport(sc, bindings(), {
        workspaceId: t.workspaceId,
        filename: "dlq.csv",
        body: new Blob([bytes]).stream(),
        sizeBytes: bytes.length,
      });
      await startImport(sc, bindings(), imp.id, { mapping: { email: "email" }, duplicates: "skip", importValidRows: false });
      return { id: imp.id, tag };
    } finally {
      await sc.dispose();
    }
  }

  it("an import step that failed every retry fails the import with a reason the import page shows", async () => {
    const imp = await startedImport(3);
    expect((await call("GET", `/api/v1/lead-imports/${imp.id}`, s)).json.status).toBe("validating");
    const msg = { id: `dlq-${imp.id}`, body: { kind: "lead_import.step", tenantId: t.tenantId, importId: imp.id } };
    const r = await deliver("pm-imports-dlq", [msg]);
    expect(r.explicitAcks).toEqual([msg.id]);
    const failed = (await call("GET", `/api/v1/lead-imports/${imp.id}`, s)).json;
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed.error).toMatch(/kept failing, even after several retries\. Nothing was imported\./);
    expect(failed.finishedAt).not.toBeNull();
    expect((await call("GET", `/api/v1/leads?q=dlq-${imp.tag}.test`, s)).json.items).toEqual([]);
    // Delivered again: nothing changes.
    await deliver("pm-imports-dlq", [msg]);
    expect((await call("GET", `/api/v1/lead-imports/${imp.id}`, s)).json).toMatchObject({ status: "failed", error: failed.error });
  });

  it("a dead-lettered step of an import that already finished leaves it alone", async () => {
    const imp = await startedImport(2);
    const sc = importScope();
    try {
      while ((await processImportStep(sc, bindings(), t.tenantId, imp.id)).more);
    } finally {
      await sc.dispose();
    }
    await deliver("pm-imports-dlq", [{ id: `dlq-${imp.id}`, body: { kind: "lead_import.step", tenantId: t.tenantId, importId: imp.id } }]);
    expect((await call("GET", `/api/v1/lead-imports/${imp.id}`, s)).json).toMatchObject({
      status: "completed",
      rowsImported: 2,
      error: null,
    });
  });

  /** A CampaignClock whose alarm fired for a tick that then died: state kept, no alarm pending. */
  async function clock(campaignId: string, state: { tenantId: string; nextAt: number | null } | null, alarmAt?: number) {
    const stub = env.CAMPAIGN_CLOCK.getByName(campaignId);
    await runInDurableObject(stub, async (_obj, st) => {
      if (state) await st.storage.put("clock", { ...state, campaignId });
      if (alarmAt) await st.storage.setAlarm(alarmAt);
    });
    return stub;
  }
  const alarmOf = (stub: ReturnType<typeof env.CAMPAIGN_CLOCK.getByName>) => runInDurableObject(stub, (_obj, st) => st.storage.getAlarm());
  const tick = (tenantId: string, campaignId: string) => ({
    id: `dlq-${campaignId}`,
    body: { kind: "campaign.tick", tenantId, campaignId },
  });

  it("a tick that failed every retry re-arms its campaign's clock a few minutes later", async () => {
    const tenantId = newId("ten");
    const campaignId = newId("cmp");
    const stub = await clock(campaignId, { tenantId, nextAt: Date.now() - 60_000 });
    expect(await alarmOf(stub)).toBeNull();
    const before = Date.now();
    const r = await deliver("pm-campaigns-dlq", [tick(tenantId, campaignId)]);
    expect(r.explicitAcks).toEqual([`dlq-${campaignId}`]);
    const at = await alarmOf(stub);
    expect(at).not.toBeNull();
    expect(at!).toBeGreaterThanOrEqual(before + 4 * 60_000);
    expect(at!).toBeLessThanOrEqual(Date.now() + 6 * 60_000);
    expect(await stub.state()).toEqual({ tenantId, campaignId, nextAt: at });
  });

  it("does not re-arm a clock that was stopped or armed again since", async () => {
    const tenantId = newId("ten");
    const paused = newId("cmp");
    const pausedClock = await clock(paused, { tenantId, nextAt: null });
    const resumed = newId("cmp");
    const inAnHour = Date.now() + 3_600_000;
    const resumedClock = await clock(resumed, { tenantId, nextAt: inAnHour }, inAnHour);
    await deliver("pm-campaigns-dlq", [tick(tenantId, paused), tick(tenantId, resumed)]);
    expect(await alarmOf(pausedClock)).toBeNull();
    expect(await alarmOf(resumedClock)).toBe(inAnHour);
  });
});

describe("mailbox status and new credentials", () => {
  it("a new SMTP password clears an error but never resumes a mailbox a person paused", async () => {
    const t = await seed("MbxPause");
    const s = await signInAs(t);
    const create = (email: string, smtpPassword: string) =>
      call("POST", "/api/v1/mailboxes", {
        ...s,
        body: {
          workspaceId: t.workspaceId,
          email,
          fromName: "Ann",
          smtpHost: "127.0.0.1",
          smtpPort: Number(cfEnv.TEST_SMTP_PORT),
          smtpSecurity: "none",
          smtpUsername: "relay-user",
          smtpPassword,
        },
      });
    const paused = (await create("paused@mbx-pause.test", "relay-pass")).json;
    expect((await call("PATCH", `/api/v1/mailboxes/${paused.id}`, { ...s, body: { status: "paused" } })).json.status).toBe("paused");
    const changed = await call("PATCH", `/api/v1/mailboxes/${paused.id}`, { ...s, body: { smtpPassword: "rotated-pass" } });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ status: "paused" });

    // In error (authentication failed): new credentials put it back to active.
    const broken = (await create("broken@mbx-pause.test", "wrong")).json;
    expect((await call("POST", `/api/v1/mailboxes/${broken.id}/test`, s)).json.status).toBe("error");
    const fixed = await call("PATCH", `/api/v1/mailboxes/${broken.id}`, { ...s, body: { smtpPassword: "relay-pass" } });
    expect(fixed.json).toMatchObject({ status: "active", statusReason: null });

    // Active stays active.
    const active = (await create("active@mbx-pause.test", "relay-pass")).json;
    expect((await call("PATCH", `/api/v1/mailboxes/${active.id}`, { ...s, body: { smtpPassword: "x-pass" } })).json.status).toBe("active");
  });
});

describe("bulk suppression import", () => {
  it("refuses a workspace-level import without a workspace, like a single add, and writes nothing", async () => {
    const t = await seed("BulkScope");
    const s = await signInAs(t);
    const single = await call("POST", "/api/v1/suppressions", { ...s, body: { value: "one@bulk-scope.test", scope: "workspace" } });
    const bulk = await call("POST", "/api/v1/suppressions/import", {
      ...s,
      body: { values: ["a@bulk-scope.test", "@bulk-scope-domain.test"], scope: "workspace" },
    });
    expect(bulk.status).toBe(400);
    expect(bulk.json.error).toMatchObject({ code: single.json.error.code, message: single.json.error.message });
    expect(bulk.json.error.message).toBe("Choose the workspace for a workspace-level entry.");
    expect((await call("GET", "/api/v1/suppressions?q=bulk-scope", s)).json.items).toEqual([]);
    // With the workspace it works, and the entries apply to that workspace.
    const ok = await call("POST", "/api/v1/suppressions/import", {
      ...s,
      body: { values: ["a@bulk-scope.test"], scope: "workspace", workspaceId: t.workspaceId },
    });
    expect(ok.json).toMatchObject({ added: 1 });
    const check = await call("GET", `/api/v1/suppressions/check?workspaceId=${t.workspaceId}&email=a@bulk-scope.test`, s);
    expect(check.json).toMatchObject({ allowed: false, scope: "workspace" });
  });

  it("sets lead status for bounces and complaints as a single add does, not only for unsubscribes", async () => {
    const t = await seed("BulkStatus");
    const s = await signInAs(t);
    const lead = async (email: string) =>
      (await call("POST", "/api/v1/leads", { ...s, body: { workspaceId: t.workspaceId, email } })).json.id as string;
    const ids = {
      bounced: await lead("bounced@bulk-status.test"),
      complained: await lead("complained@bulk-status.test"),
      unsubscribed: await lead("unsub@bulk-status.test"),
      manual: await lead("manual@bulk-status.test"),
      viaDomain: await lead("someone@bulk-status-domain.test"),
    };
    const bulk = (values: string[], reason: string) => call("POST", "/api/v1/suppressions/import", { ...s, body: { values, reason } });
    expect((await bulk(["bounced@bulk-status.test", "@bulk-status-domain.test"], "hard_bounce")).status).toBe(200);
    expect((await bulk(["complained@bulk-status.test", "bounced@bulk-status.test"], "complaint")).status).toBe(200);
    expect((await bulk(["unsub@bulk-status.test"], "unsubscribed")).status).toBe(200);
    expect((await bulk(["manual@bulk-status.test"], "manual")).status).toBe(200);
    const status = async (id: string) => (await call("GET", `/api/v1/leads/${id}`, s)).json.status;
    expect({
      bounced: await status(ids.bounced),
      complained: await status(ids.complained),
      unsubscribed: await status(ids.unsubscribed),
      manual: await status(ids.manual),
      viaDomain: await status(ids.viaDomain),
    }).toEqual({
      // The complaint came after the bounce: only an active lead changes, as with a single add.
      bounced: "bounced",
      complained: "complained",
      unsubscribed: "unsubscribed",
      manual: "active",
      // A domain entry suppresses the lead's mail but does not change its status.
      viaDomain: "active",
    });
  });
});

describe("reply suppression check", () => {
  it("lets an unsubscribed address be answered, but its unsubscribe never hides another suppression of the address or its domain", async () => {
    const t = await seed("ReplyCheck");
    const email = "reader@replycheck-prospect.test";
    const add = (value: string, kind: "address" | "domain", reason: "unsubscribed" | "manual") =>
      asTenant(t.tenantId, (tx) =>
        tx.execute(sql`insert into suppressions (id, scope, tenant_id, workspace_id, kind, value, reason)
          values (${newId("sup")}, 'workspace', ${t.tenantId}, ${t.workspaceId}, ${kind}, ${value}, ${reason})`),
      );
    const decide = (ignoreUnsubscribes: boolean) =>
      asTenant(t.tenantId, (tx) => mayMail(tx, t.tenantId, t.workspaceId, email, { ignoreUnsubscribes }));
    await add(email, "address", "unsubscribed");
    expect(await decide(false)).toMatchObject({ allowed: false, suppressionReason: "unsubscribed" });
    expect(await decide(true)).toEqual({ allowed: true });
    // The same workspace also blocks the whole domain by hand: that decides, whichever row comes first.
    await add("replycheck-prospect.test", "domain", "manual");
    expect(await decide(true)).toMatchObject({ allowed: false, suppressionReason: "manual", scope: "workspace" });
  });
});
