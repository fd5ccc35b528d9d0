import { env as cfEnv } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { planTick } from "../../workers/campaigns/plan.ts";
import { dailyActivity } from "../../workers/campaigns/queries.ts";
import { runInTx } from "../../workers/platform/db.ts";
import { deliverSends, markDeadLettered } from "../../workers/sending/deliver.ts";
import { parseVerp } from "../../workers/sending/verp.ts";
import { call, scope, seed, signInAs } from "../support/api.ts";
import { allWeek, campaign, type Mail, received, type Setup, setup, twoSteps, until } from "../support/engine.ts";
import { seedNode } from "../support/infra.ts";

const env = cfEnv as unknown as Env;

/**
 * The engine end to end: launch → CampaignClock alarm → campaign.tick → send queue → SMTP (a real
 * smtp-server started by the test setup) → records. Each test owns its tenant.
 */
describe("campaign editing", () => {
  it("keeps step and variant ids when the sequence is edited (statistics stay attached)", async () => {
    const su = await setup("Edit", ["e1"]);
    const id = await campaign(su);
    const before = (await call("GET", `/api/v1/campaigns/${id}`, su.s)).json.steps;
    const edited = await call("PATCH", `/api/v1/campaigns/${id}`, {
      ...su.s,
      body: {
        steps: [
          {
            variants: [
              { subject: "New subject", text: "New body" },
              { subject: "B subject", text: "B body" },
            ],
          },
        ],
      },
    });
    expect(edited.status).toBe(200);
    const after = edited.json.steps;
    expect(after).toHaveLength(1);
    expect(after[0].id).toBe(before[0].id);
    expect(after[0].variants[0]).toMatchObject({ id: before[0].variants[0].id, label: "A", subject: "New subject" });
    expect(after[0].variants[1]).toMatchObject({ label: "B", subject: "B subject" });
  });
});

describe("campaign launch checks", () => {
  it("refuses with every reason at once", async () => {
    const t = await seed("NoLaunch");
    const s = await signInAs(t);
    const c = await call("POST", "/api/v1/campaigns", {
      ...s,
      body: { name: "Empty", workspaceId: t.workspaceId, steps: [{ variants: [{ subject: "Hi", text: "Hello {{frist_name}}" }] }] },
    });
    const r = await call("POST", `/api/v1/campaigns/${c.json.id}/launch`, s);
    expect(r.status).toBe(422);
    const reasons = r.json.error.issues.map((i: { message: string }) => i.message).join("\n");
    expect(reasons).toMatch(/lead list/);
    expect(reasons).toMatch(/mailbox/);
    expect(reasons).toMatch(/postal address/);
    expect(reasons).toMatch(/frist_name/);
  });
});

describe("sending through the real path", () => {
  it("sends exactly one message per lead and step, correctly built, then completes", async () => {
    const su = await setup("Flow", ["a", "b", "c", "d", "e"]);
    const id = await campaign(su);
    const launched = await call("POST", `/api/v1/campaigns/${id}/launch`, su.s);
    expect(launched.status).toBe(200);
    expect(launched.json).toMatchObject({ status: "sending", stats: { enrolled: 5 } });

    const mails = await until(
      () => received(su.domain),
      (m) => m.length >= 10,
    );
    expect(mails).toHaveLength(10);
    const perLead = new Map<string, number>();
    for (const m of mails) perLead.set(m.to[0]!, (perLead.get(m.to[0]!) ?? 0) + 1);
    expect([...perLead.values()]).toEqual([2, 2, 2, 2, 2]);

    const first = mails.find((m) => m.to[0] === `a@${su.domain}` && !m.subject.startsWith("Re:"))!;
    expect(first.subject).toMatch(/^(Quick|Short) question, Lead0$/);
    expect(first.text).toContain("Is Co 0 hiring?");
    expect(first.text).toContain("1 Penguin Way, 10115 Berlin, Germany");
    expect(first.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(first.headers["list-unsubscribe"]).toMatch(/^<http:\/\/127\.0\.0\.1:8787\/t\/u\/.+>$/);
    expect(first.headers["message-id"]).toMatch(/^<snd_[0-9A-Z]+@sender-(one|two)\.flow\.test>$|^<snd_[0-9A-Z]+@flow\.test>$|@/);
    expect(first.headers.from).toMatch(/"Ann Sender" <(ann|bob)\.flow@sender-(one|two)\.test>/);
    expect(first.user).toBe("relay-user");
    // Rotation spread the five first steps over both mailboxes.
    const senders = new Set(mails.map((m) => m.headers.from));
    expect(senders.size).toBe(2);

    const done = await until(
      () => call("GET", `/api/v1/campaigns/${id}`, su.s),
      (r) => r.json.status === "completed",
    );
    expect(done.json).toMatchObject({ status: "completed", stats: { enrolled: 5, sent: 10, completed: 5, failed: 0, unknown: 0 } });

    // One-click unsubscribe from the header link is a POST that needs no login.
    const url = first.headers["list-unsubscribe"]!.slice(1, -1).replace("http://127.0.0.1:8787", "");
    const unsub = await call("POST", url, {
      rawBody: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://mail.example" },
    });
    expect(unsub.status).toBe(200);
    const check = await call("GET", `/api/v1/suppressions/check?workspaceId=${su.t.workspaceId}&email=a@${su.domain}`, su.s);
    expect(check.json).toMatchObject({ allowed: false, scope: "workspace" });
    // The footer page: a person confirms, may say why, and may undo.
    const page = await call("POST", url, { headers: { accept: "text/html", origin: "https://mail.example" } });
    expect(page.text).toContain("Undo");
    const why = await call("POST", `${url}/why`, {
      rawBody: "why=too_many",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(why.status).toBe(200);
    const listed = await call("GET", `/api/v1/suppressions?q=a@${su.domain}`, su.s);
    expect(listed.json.items[0].note).toBe("unsubscribe link: Too many e-mails");
    expect((await call("POST", `${url}/resubscribe`, {})).status).toBe(200);
    const again = await call("GET", `/api/v1/suppressions/check?workspaceId=${su.t.workspaceId}&email=a@${su.domain}`, su.s);
    expect(again.json).toEqual({ allowed: true });
    const [body, sig] = url.slice("/t/u/".length).split(".");
    const tampered = `/t/u/${body!.slice(0, 10)}${body![10] === "A" ? "B" : "A"}${body!.slice(11)}.${sig}`;
    expect((await call("POST", tampered, {})).status).toBe(404);
  }, 60_000);
});

describe("tracking", () => {
  /** Launches a one-step campaign whose e-mail has a link (text and HTML) and returns the delivered message. */
  async function sendOneLinkedMail(su: Setup, tracking: boolean) {
    const id = await campaign(su, {
      trackOpens: tracking,
      trackClicks: tracking,
      steps: [
        {
          variants: [
            {
              subject: "Hello",
              text: "See https://example.com/pricing?a=1&b=2 please",
              html: '<p>See <a href="https://example.com/pricing?a=1&amp;b=2">pricing</a></p>',
            },
          ],
        },
      ],
    });
    await call("POST", `/api/v1/campaigns/${id}/launch`, su.s);
    const [mail] = await until(
      () => received(su.domain),
      (m) => m.length >= 1,
    );
    return { id, mail };
  }

  it("with tracking off adds no pixel and leaves every link as written", async () => {
    const su = await setup("NoTrack", ["reader"]);
    const { mail } = await sendOneLinkedMail(su, false);
    expect(mail!.html).not.toContain("/t/o/");
    expect(mail!.html).not.toContain("/t/c/");
    expect(mail!.html).toContain('href="https://example.com/pricing?a=1&amp;b=2"');
    expect(mail!.text).toContain("See https://example.com/pricing?a=1&b=2 please");
    // Unsubscribing is not tracking: the footer link and the List-Unsubscribe header stay.
    expect(mail!.text).toMatch(/Unsubscribe: http:\/\/127\.0\.0\.1:8787\/t\/u\//);
    expect(mail!.headers["list-unsubscribe"]).toMatch(/\/t\/u\//);
  }, 60_000);

  it("adds a pixel and signed links, counts human opens/clicks once and flags machines", async () => {
    const su = await setup("Track", ["reader"]);
    const { id, mail } = await sendOneLinkedMail(su, true);
    const pixel = /src="http:\/\/127\.0\.0\.1:8787(\/t\/o\/[^"]+)"/.exec(mail!.html)![1]!;
    const link = /href="http:\/\/127\.0\.0\.1:8787(\/t\/c\/[^"]+)"/.exec(mail!.html)![1]!;
    expect(mail!.text).toMatch(/See http:\/\/127\.0\.0\.1:8787\/t\/c\/\S+ please/);
    expect(mail!.text).not.toContain("example.com/pricing");
    // The footer's unsubscribe link is never rewritten.
    expect(mail!.text).toMatch(/Unsubscribe: http:\/\/127\.0\.0\.1:8787\/t\/u\//);

    const human = { "user-agent": "Mozilla/5.0 (Windows NT 10.0) Chrome/131", "cf-connecting-ip": "198.51.100.20" };
    const open1 = await call("GET", pixel, { headers: human });
    expect(open1.status).toBe(200);
    expect(open1.headers.get("content-type")).toBe("image/gif");
    await call("GET", pixel, { headers: human });
    await call("GET", pixel, { headers: { "user-agent": "Mozilla/5.0", "cf-connecting-ip": "17.58.1.2" } }); // Apple MPP proxy
    await call("HEAD", pixel, { headers: human });
    // A click the scanner fires right after delivery is flagged; a later human one counts.
    const scan = await call("GET", link, { headers: { "user-agent": "Mozilla/5.0 Barracuda Sentinel" } });
    expect(scan.status).toBe(302);
    expect(scan.headers.get("location")).toBe("https://example.com/pricing?a=1&b=2");
    await new Promise((r) => setTimeout(r, 10_500));
    expect((await call("GET", link, { headers: human })).status).toBe(302);

    const stats = await until(
      () => call("GET", `/api/v1/campaigns/${id}`, su.s),
      (r) => r.json.stats.opened >= 1 && r.json.stats.clicked >= 1,
    );
    expect(stats.json.stats).toMatchObject({ opened: 1, clicked: 1 });

    // Tampered or junk tokens: a GIF for the pixel, a 404 for the redirect, never a 500.
    const bad = link.replace(/.(?=\.)/, (ch) => (ch === "A" ? "B" : "A"));
    expect((await call("GET", bad)).status).toBe(404);
    expect((await call("GET", "/t/c/%%%garbage")).status).toBe(404);
    const junkPixel = await call("GET", "/t/o/not-a-token");
    expect([junkPixel.status, junkPixel.headers.get("content-type")]).toEqual([200, "image/gif"]);
  }, 60_000);
});

describe("delivery semantics (driven step by step)", () => {
  async function launchedNoClock(su: Setup, steps = [twoSteps[0]]) {
    // Launch for tomorrow (the clock sleeps until then), then make it due now and drive ticks by hand,
    // so the real queue path cannot race the test.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const id = await campaign(su, { steps, schedule: { ...allWeek, startAt: tomorrow } });
    const launched = await call("POST", `/api/v1/campaigns/${id}/launch`, su.s);
    expect(launched.json.status).toBe("scheduled");
    const sc = scope();
    sc.tenant = { id: su.t.tenantId, name: "", role: "owner" };
    await runInTx(sc.db, { tenantId: su.t.tenantId }, async (tx) => {
      await tx.execute(sql`update campaigns set status = 'sending', schedule = jsonb_set(schedule, '{startAt}', 'null') where id = ${id}`);
      await tx.execute(sql`update enrollments set next_send_at = now() where campaign_id = ${id}`);
    });
    return { id, sc };
  }
  const sendIds = async (sc: ReturnType<typeof scope>, tenantId: string, id: string) =>
    (
      await runInTx(sc.db, { tenantId }, (tx) =>
        tx.execute<{ id: string; status: string; to_address: string | null }>(
          sql`select id, status, to_address from sends where campaign_id = ${id} order by id`,
        ),
      )
    ).rows;

  it("never sends twice for a redelivered job; retries 4xx until delivered once; bounces 5xx", async () => {
    const su = await setup("Semantics", ["ok", "tempfail1", "bounce1"]);
    const { id, sc } = await launchedNoClock(su);
    try {
      const planned = await planTick(sc, env, su.t.tenantId, id);
      expect(planned.queued).toBe(3);
      const ids = (await sendIds(sc, su.t.tenantId, id)).map((r) => r.id);
      const first = await deliverSends(sc, env, su.t.tenantId, ids);
      expect([...first.values()].sort()).toEqual(["ack", "ack", "retry"]);
      // Redelivery of the same jobs: the sent one and the bounced one do nothing.
      await deliverSends(sc, env, su.t.tenantId, ids);
      const rows = await sendIds(sc, su.t.tenantId, id);
      expect(rows.map((r) => r.status).sort()).toEqual(["bounced", "sent", "sent"]);
      const mails = await received(su.domain);
      expect(mails.map((m) => m.to[0]).sort()).toEqual([`ok@${su.domain}`, `tempfail1@${su.domain}`]);
      const check = await call("GET", `/api/v1/suppressions/check?workspaceId=${su.t.workspaceId}&email=bounce1@${su.domain}`, su.s);
      expect(check.json).toMatchObject({ allowed: false, suppressionReason: "hard_bounce" });
    } finally {
      await sc.dispose();
    }
  }, 60_000);

  it("hosted mailboxes bounce to a VERP address naming the send; bring-your-own ones to themselves", async () => {
    const su = await setup("Verp", ["v1", "v2", "v3", "v4"]);
    const node = await seedNode(su.t.tenantId);
    const [hosted, own] = su.mailboxIds;
    const { id, sc } = await launchedNoClock(su);
    try {
      await runInTx(sc.db, { tenantId: su.t.tenantId }, (tx) =>
        tx.execute(sql`update mailboxes set node_id = ${node} where id = ${hosted}`),
      );
      await planTick(sc, env, su.t.tenantId, id);
      const rows = await runInTx(sc.db, { tenantId: su.t.tenantId }, (tx) =>
        tx.execute<{ id: string; mailbox_id: string }>(sql`select id, mailbox_id from sends where campaign_id = ${id}`),
      );
      expect(new Set(rows.rows.map((r) => r.mailbox_id))).toEqual(new Set([hosted, own]));
      await deliverSends(
        sc,
        env,
        su.t.tenantId,
        rows.rows.map((r) => r.id),
      );
      // The real queue may take some of these jobs first; either way each goes out once.
      const mails = (await until(
        () => received(su.domain),
        (m) => m.length >= 4,
      )) as (Mail & { from: string })[];
      expect(mails).toHaveLength(4);
      for (const m of mails) {
        const send = rows.rows.find((r) => r.id === m.headers["x-pm-send"])!;
        if (send.mailbox_id === hosted) {
          expect(m.from).toMatch(/^bounce\+[0-9A-Z]{26}-[0-9A-Z]{26}@inbound\.penguinmails\.test$/);
          expect(parseVerp(m.from)).toEqual({ sendId: send.id, tenantId: su.t.tenantId });
        } else expect(m.from).toBe(m.headers.from!.match(/<(.+)>/)![1]);
        // The receiving server adds Return-Path; the message itself never carries one.
        expect(m.headers["return-path"]).toBeUndefined();
      }
    } finally {
      await sc.dispose();
    }
  }, 60_000);

  it("rests a hosted mailbox while its node misses heartbeats; the rest of the rotation carries on", async () => {
    const su = await setup("NodeDown", ["n1", "n2", "n3", "n4"]);
    const node = await seedNode(su.t.tenantId, { heartbeatAgoMs: 5 * 60_000 });
    const [hosted, own] = su.mailboxIds;
    const { id, sc } = await launchedNoClock(su);
    try {
      await runInTx(sc.db, { tenantId: su.t.tenantId }, (tx) =>
        tx.execute(sql`update mailboxes set node_id = ${node} where id = ${hosted}`),
      );
      const mailboxOf = async () =>
        (
          await runInTx(sc.db, { tenantId: su.t.tenantId }, (tx) =>
            tx.execute<{ mailbox_id: string }>(sql`select mailbox_id from sends where campaign_id = ${id}`),
          )
        ).rows.map((r) => r.mailbox_id);
      expect((await planTick(sc, env, su.t.tenantId, id)).queued).toBe(4);
      expect(new Set(await mailboxOf())).toEqual(new Set([own]));
      // Only the bring-your-own mailbox took sends; with the node back (a fresh heartbeat) the
      // hosted one is in rotation again — and, having sent fewest today, it takes what comes next.
      await runInTx(sc.db, { tenantId: su.t.tenantId }, async (tx) => {
        await tx.execute(sql`update infra_nodes set last_heartbeat_at = now() where id = ${node}`);
        await tx.execute(sql`delete from sends where campaign_id = ${id}`);
        await tx.execute(sql`update enrollments set next_send_at = now(), last_domain = null where campaign_id = ${id}`);
      });
      await planTick(sc, env, su.t.tenantId, id);
      expect(new Set(await mailboxOf())).toEqual(new Set([hosted]));
    } finally {
      await sc.dispose();
    }
  }, 60_000);

  it("a send queued before a pause waits for the resume, then goes out once (the lead is not stuck)", async () => {
    const su = await setup("PauseQ", ["p1", "p2"]);
    const { id, sc } = await launchedNoClock(su);
    try {
      expect((await planTick(sc, env, su.t.tenantId, id)).queued).toBe(2);
      const ids = (await sendIds(sc, su.t.tenantId, id)).map((r) => r.id);
      // Paused after the jobs were queued: the consumer must not send, and must not strand the leads.
      expect((await call("POST", `/api/v1/campaigns/${id}/pause`, su.s)).status).toBe(200);
      await deliverSends(sc, env, su.t.tenantId, ids);
      expect(await received(su.domain)).toEqual([]);
      const waiting = await runInTx(sc.db, { tenantId: su.t.tenantId }, (tx) =>
        tx.execute<{ status: string; next_send_at: string | null }>(
          sql`select s.status, e.next_send_at from sends s join enrollments e on e.id = s.enrollment_id where s.campaign_id = ${id}`,
        ),
      );
      expect(waiting.rows.map((r) => r.status)).toEqual(["requeue", "requeue"]);
      expect(waiting.rows.every((r) => r.next_send_at !== null)).toBe(true);
      expect((await call("POST", `/api/v1/campaigns/${id}/resume`, su.s)).status).toBe(200);
      // The resumed clock re-plans them; the real queue delivers each exactly once.
      const mails = await until(
        () => received(su.domain),
        (m) => m.length >= 2,
      );
      await new Promise((r) => setTimeout(r, 1500));
      expect((await received(su.domain)).map((m) => m.to[0]).sort()).toEqual([`p1@${su.domain}`, `p2@${su.domain}`]);
      expect(mails).toHaveLength(2);
    } finally {
      await sc.dispose();
    }
  }, 60_000);

  it("enqueues again a send whose queue message was lost after planning", async () => {
    const su = await setup("LostMsg", ["l1"]);
    const { id, sc } = await launchedNoClock(su);
    try {
      // As if planning committed the send and then its sendBatch failed: queued, no message, and
      // its enrolment no longer due.
      await runInTx(sc.db, { tenantId: su.t.tenantId }, async (tx) => {
        const [e] = (await tx.execute<{ id: string; lead_id: string }>(sql`select id, lead_id from enrollments where campaign_id = ${id}`))
          .rows;
        const [step] = (
          await tx.execute<{ id: string; variant_id: string }>(
            sql`select s.id, v.id as variant_id from campaign_steps s join step_variants v on v.step_id = s.id where s.campaign_id = ${id} limit 1`,
          )
        ).rows;
        await tx.execute(sql`insert into sends (id, tenant_id, campaign_id, enrollment_id, lead_id, step_id, variant_id, mailbox_id, idempotency_key, status, updated_at)
          values (${`snd_LOST${Date.now()}`}, ${su.t.tenantId}, ${id}, ${e!.id}, ${e!.lead_id}, ${step!.id}, ${step!.variant_id}, ${su.mailboxIds[0]},
                  ${`${e!.id}:${step!.id}`}, 'queued', now() - interval '20 minutes')`);
        await tx.execute(sql`update enrollments set next_send_at = null where id = ${e!.id}`);
      });
      expect((await planTick(sc, env, su.t.tenantId, id)).queued).toBe(1);
      const mails = await until(
        () => received(su.domain),
        (m) => m.length >= 1,
      );
      expect(mails.map((m) => m.to[0])).toEqual([`l1@${su.domain}`]);
      expect((await sendIds(sc, su.t.tenantId, id)).map((r) => r.status)).toEqual(["sent"]);
    } finally {
      await sc.dispose();
    }
  }, 60_000);

  it("a 'not opened' step skips leads who opened, but not for a machine's open (scanner, privacy proxy)", async () => {
    const su = await setup("Cond", ["human", "machine", "none"]);
    const steps = [
      { variants: [{ subject: "First", text: "Hi {{first_name}}" }] },
      { waitMinutes: 60, condition: "not_opened", variants: [{ subject: "Did you see this?", text: "Bump" }] },
    ];
    const { id, sc } = await launchedNoClock(su, steps);
    try {
      await planTick(sc, env, su.t.tenantId, id);
      await deliverSends(
        sc,
        env,
        su.t.tenantId,
        (await sendIds(sc, su.t.tenantId, id)).map((r) => r.id),
      );
      await runInTx(sc.db, { tenantId: su.t.tenantId }, async (tx) => {
        const sent = await tx.execute<{ id: string; lead_id: string; to_address: string }>(
          sql`select id, lead_id, to_address from sends where campaign_id = ${id}`,
        );
        for (const r of sent.rows) {
          const who = r.to_address.split("@")[0];
          if (who === "none") continue;
          const meta = who === "machine" ? { machine: "apple_mpp" } : {};
          await tx.execute(sql`insert into email_events (id, tenant_id, campaign_id, send_id, lead_id, type, meta)
            values (${`evt_C${who}${Date.now()}`}, ${su.t.tenantId}, ${id}, ${r.id}, ${r.lead_id}, 'opened', ${JSON.stringify(meta)}::jsonb)`);
        }
        await tx.execute(sql`update enrollments set next_send_at = now() where campaign_id = ${id} and status = 'active'`);
      });
      await planTick(sc, env, su.t.tenantId, id);
      const rows = await runInTx(sc.db, { tenantId: su.t.tenantId }, (tx) =>
        tx.execute<{ email: string; status: string; n: number }>(sql`
          select l.email, e.status, (select count(*)::int from sends s where s.enrollment_id = e.id) as n
          from enrollments e join leads l on l.id = e.lead_id where e.campaign_id = ${id} order by l.email`),
      );
      const by = Object.fromEntries(rows.rows.map((r) => [r.email.split("@")[0], r]));
      expect(by.human).toMatchObject({ status: "completed", n: 1 });
      expect(by.machine!.n).toBe(2);
      expect(by.none!.n).toBe(2);
    } finally {
      await sc.dispose();
    }
  }, 60_000);

  it("does not resend when the consumer died after SMTP accepted; surfaces it as unknown", async () => {
    const su = await setup("Crash", ["x"]);
    const { id, sc } = await launchedNoClock(su);
    try {
      await planTick(sc, env, su.t.tenantId, id);
      const [row] = await sendIds(sc, su.t.tenantId, id);
      // The consumer claimed the send and handed it to SMTP, then died before recording it.
      await runInTx(sc.db, { tenantId: su.t.tenantId }, (tx) =>
        tx.execute(sql`update sends set status = 'sending', updated_at = now() - interval '20 minutes' where id = ${row!.id}`),
      );
      const again = await deliverSends(sc, env, su.t.tenantId, [row!.id]);
      expect(again.get(row!.id)).toBe("ack");
      expect(await received(su.domain)).toEqual([]);
      await planTick(sc, env, su.t.tenantId, id);
      expect((await sendIds(sc, su.t.tenantId, id))[0]!.status).toBe("unknown");
      const c = await call("GET", `/api/v1/campaigns/${id}`, su.s);
      expect(c.json.stats.unknown).toBe(1);
      // A person may choose to resend it: it goes back to planning and out once.
      const retry = await call("POST", `/api/v1/campaigns/${id}/sends/${row!.id}/retry`, su.s);
      expect(retry.json).toEqual({ retried: true });
      expect((await call("POST", `/api/v1/campaigns/${id}/sends/${row!.id}/retry`, su.s)).status).toBe(409);
      await planTick(sc, env, su.t.tenantId, id);
      // planTick also put the job on the real queue: whichever consumer claims it first sends it,
      // the other finds it claimed — so wait for the outcome, then check it went out exactly once.
      await deliverSends(sc, env, su.t.tenantId, [row!.id]);
      const after = await until(
        () => sendIds(sc, su.t.tenantId, id),
        (rows) => rows[0]?.status === "sent",
      );
      expect(after[0]!.status).toBe("sent");
      expect(await received(su.domain)).toHaveLength(1);
    } finally {
      await sc.dispose();
    }
  }, 60_000);

  it("dead-letters a send still marked sending as unknown (maybe delivered), a retrying one as failed, leaves a queued one", async () => {
    const su = await setup("DeadLetter", ["a", "b"]);
    const { id, sc } = await launchedNoClock(su);
    try {
      await planTick(sc, env, su.t.tenantId, id);
      // planTick also put the job on the real queue, whose consumer may take it at any moment: let
      // it finish, then put the two sends in the states a dead letter can find them in.
      await until(
        () => sendIds(sc, su.t.tenantId, id),
        (rows) => rows.length === 2 && rows.every((r) => r.status === "sent"),
      );
      const [a, b] = await sendIds(sc, su.t.tenantId, id);
      await runInTx(sc.db, { tenantId: su.t.tenantId }, (tx) =>
        tx.execute(sql`update sends set status = case when id = ${a!.id} then 'sending' else 'retry' end where id in (${a!.id}, ${b!.id})`),
      );
      // One dead-lettered message carries several sends (SEND_IDS_PER_MESSAGE).
      await markDeadLettered(sc, su.t.tenantId, [a!.id, b!.id]);
      let rows = new Map((await sendIds(sc, su.t.tenantId, id)).map((r) => [r.id, r.status]));
      expect(rows.get(a!.id)).toBe("unknown");
      expect(rows.get(b!.id)).toBe("failed");
      // A queued send may belong to a newer message (postponed, then planned again under the same
      // id): the dead letter leaves it; if its message was really lost the planner's sweep re-sends it.
      await runInTx(sc.db, { tenantId: su.t.tenantId }, (tx) => tx.execute(sql`update sends set status = 'queued' where id = ${b!.id}`));
      await markDeadLettered(sc, su.t.tenantId, [b!.id]);
      rows = new Map((await sendIds(sc, su.t.tenantId, id)).map((r) => [r.id, r.status]));
      expect(rows.get(b!.id)).toBe("queued");
    } finally {
      await sc.dispose();
    }
  }, 60_000);

  it("sends nothing to an address suppressed after its job was queued", async () => {
    const su = await setup("Late", ["late"]);
    const { id, sc } = await launchedNoClock(su);
    try {
      await planTick(sc, env, su.t.tenantId, id);
      await call("POST", "/api/v1/suppressions", { ...su.s, body: { value: `late@${su.domain}`, reason: "unsubscribed" } });
      const ids = (await sendIds(sc, su.t.tenantId, id)).map((r) => r.id);
      await deliverSends(sc, env, su.t.tenantId, ids);
      expect((await sendIds(sc, su.t.tenantId, id))[0]!.status).toBe("cancelled");
      expect(await received(su.domain)).toEqual([]);
    } finally {
      await sc.dispose();
    }
  }, 60_000);

  it("pauses a mailbox whose authentication fails and puts its sends back", async () => {
    const su = await setup("Auth", ["auth"], { smtpPassword: "wrong" });
    const { id, sc } = await launchedNoClock(su);
    try {
      await planTick(sc, env, su.t.tenantId, id);
      const ids = (await sendIds(sc, su.t.tenantId, id)).map((r) => r.id);
      await deliverSends(sc, env, su.t.tenantId, ids);
      expect((await sendIds(sc, su.t.tenantId, id))[0]!.status).toBe("requeue");
      const boxes = await call("GET", `/api/v1/mailboxes?workspaceId=${su.t.workspaceId}`, su.s);
      expect(
        boxes.json.items.some(
          (b: { status: string; statusReason: string }) => b.status === "error" && /Authentication failed/.test(b.statusReason),
        ),
      ).toBe(true);
    } finally {
      await sc.dispose();
    }
  }, 60_000);

  it("holds each mailbox to its daily cap and plans the rest for its next local day", async () => {
    const su = await setup(
      "Cap",
      Array.from({ length: 12 }, (_, i) => `cap${i}`),
      { dailyLimit: 10, timezone: "Asia/Kolkata" },
    );
    const { id, sc } = await launchedNoClock(su);
    try {
      // Only one mailbox in use: 10 today, 2 left due.
      const patched = await call("PATCH", `/api/v1/campaigns/${id}`, { ...su.s, body: { mailboxIds: [su.mailboxIds[0]] } });
      // A partial update changes only what it names (autosave must never reset other fields).
      expect(patched.json).toMatchObject({
        listIds: [su.listId],
        mailboxIds: [su.mailboxIds[0]],
        schedule: { days: allWeek.days, endMinute: 1440 },
      });
      const r = await planTick(sc, env, su.t.tenantId, id);
      expect(r.queued).toBe(10);
      const clock = await env.CAMPAIGN_CLOCK.getByName(id).state();
      // Next: midnight in Kolkata (UTC+05:30), i.e. hh:30 UTC.
      expect(new Date(clock!.nextAt!).getUTCMinutes()).toBe(30);
      expect(clock!.nextAt! - Date.now()).toBeGreaterThan(0);
    } finally {
      await sc.dispose();
    }
  }, 60_000);
});

describe("custom tracking domains", () => {
  it("verifies the CNAME over DoH, then uses the domain in mail; the domain serves tracking paths only", async () => {
    const su = await setup("TrackDomain", ["td"]);
    const bad = await call("POST", "/api/v1/tracking-domains", {
      ...su.s,
      body: { workspaceId: su.t.workspaceId, hostname: "track.wrong-customer.test" },
    });
    const badCheck = await call("POST", `/api/v1/tracking-domains/${bad.json.id}/verify`, su.s);
    expect(badCheck.json).toMatchObject({ status: "failed", cnameTarget: "track.penguinmails.test" });
    expect(badCheck.json.lastError).toMatch(/points to elsewhere\.example/);
    const missing = await call("POST", "/api/v1/tracking-domains", {
      ...su.s,
      body: { workspaceId: su.t.workspaceId, hostname: "track.nothing-here.test" },
    });
    expect((await call("POST", `/api/v1/tracking-domains/${missing.json.id}/verify`, su.s)).json.lastError).toMatch(/no DNS record yet/);
    expect(
      (await call("POST", "/api/v1/tracking-domains", { ...su.s, body: { workspaceId: su.t.workspaceId, hostname: "localhost" } })).status,
    ).toBe(400);
    // A resolver outage is not a verdict: the domain stays pending, with the reason shown.
    const flaky = await call("POST", "/api/v1/tracking-domains", {
      ...su.s,
      body: { workspaceId: su.t.workspaceId, hostname: "track.flaky-dns.test" },
    });
    const flakyCheck = await call("POST", `/api/v1/tracking-domains/${flaky.json.id}/verify`, su.s);
    expect(flakyCheck.json.status).toBe("pending");
    expect(flakyCheck.json.lastError).toMatch(/DNS lookup failed \(SERVFAIL\)/);

    const good = await call("POST", "/api/v1/tracking-domains", {
      ...su.s,
      body: { workspaceId: su.t.workspaceId, hostname: "Track.Good-Customer.test" },
    });
    expect(good.json.hostname).toBe("track.good-customer.test");
    expect((await call("POST", `/api/v1/tracking-domains/${good.json.id}/verify`, su.s)).json.status).toBe("verified");

    const id = await campaign(su, { trackClicks: true, steps: [{ variants: [{ subject: "Hi", text: "Look https://example.com/x" }] }] });
    await call("POST", `/api/v1/campaigns/${id}/launch`, su.s);
    const [mail] = await until(
      () => received(su.domain),
      (m) => m.length >= 1,
    );
    expect(mail!.text).toMatch(/Look https:\/\/track\.good-customer\.test\/t\/c\//);
    expect(mail!.headers["list-unsubscribe"]).toMatch(/^<https:\/\/track\.good-customer\.test\/t\/u\//);

    const { exports } = await import("cloudflare:workers");
    const dash = await exports.default.fetch(new Request("https://track.good-customer.test/campaigns", { redirect: "manual" }));
    expect(dash.status).toBe(404);
    const px = await exports.default.fetch(new Request("https://track.good-customer.test/t/o/not-a-token", { redirect: "manual" }));
    expect(px.headers.get("content-type")).toBe("image/gif");

    // The overview chart's numbers: today's sent count for this organization only, zeros elsewhere.
    const sc = scope();
    sc.tenant = { id: su.t.tenantId, name: "", role: "member" };
    sc.actor = { kind: "system", userId: null, reason: "test" };
    try {
      const days = await dailyActivity(sc, 14);
      expect(days).toHaveLength(14);
      expect(days.at(-1)).toMatchObject({ day: new Date().toISOString().slice(0, 10), sent: 1, bounced: 0 });
      expect(days.slice(0, -1).every((d) => d.sent === 0)).toBe(true);
    } finally {
      await sc.dispose();
    }
  }, 60_000);
});
