import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../workers/app.ts";
import { runInTx } from "../../workers/platform/db.ts";
import { newId } from "../../workers/platform/ids.ts";
import { verpAddress } from "../../workers/sending/verp.ts";
import fixtures from "../fixtures/inbound/index.ts";
import { call, scope } from "../support/api.ts";
import { campaign, received, type Setup, setup, until } from "../support/engine.ts";
import { latestMail } from "../support/outbox.ts";

/**
 * Inbound mail against real sent messages: fixtures (real-format samples) are re-addressed to the
 * Message-IDs this run actually sent, then fed through the same path as the email() handler.
 */
const FIXTURE_MID = "snd_01M8J1AWDRMND42H56VQPV1VGD.ten_01M8J1AR5RH8DR96N5YPQPFZ2J@sender-one.test";
let su: Setup;
let campaignId: string;
const sent = new Map<string, { messageId: string; sendId: string; leadId: string }>();

beforeAll(async () => {
  su = await setup("Inbound", ["maria", "petra", "nobody", "angry", "ghost", "fwd", "soft", "gmailed", "outlooked", "yahooed"]);
  campaignId = await campaign(su, {
    steps: [
      { variants: [{ subject: "Quick question", text: "Hi {{first_name}}" }] },
      { waitMinutes: 60 * 24, variants: [{ subject: "Re: Quick question", text: "Bump" }] },
    ],
  });
  await call("POST", `/api/v1/campaigns/${campaignId}/launch`, su.s);
  await until(
    () => received(su.domain),
    (m) => m.length >= 10,
  );
  const sc = scope();
  try {
    const rows = await runInTx(sc.db, { tenantId: su.t.tenantId }, (tx) =>
      tx.execute<{ to_address: string; message_id: string; id: string; lead_id: string }>(
        sql`select to_address, message_id, id, lead_id from sends where campaign_id = ${campaignId} and status = 'sent'`,
      ),
    );
    for (const r of rows.rows) sent.set(r.to_address.split("@")[0]!, { messageId: r.message_id, sendId: r.id, leadId: r.lead_id });
  } finally {
    await sc.dispose();
  }
}, 90_000);

const feed = (fixture: string, who: string, replaceAddress?: string) => {
  let raw = fixtures[fixture]!.replaceAll(FIXTURE_MID, sent.get(who)!.messageId);
  if (replaceAddress) raw = raw.replaceAll(replaceAddress, `${who}@${su.domain}`);
  return call("POST", "/api/dev/inbound", { rawBody: raw, headers: { "content-type": "message/rfc822" } });
};
const enrollmentStatus = async (who: string) => {
  const sc = scope();
  try {
    const r = await runInTx(sc.db, { tenantId: su.t.tenantId }, (tx) =>
      tx.execute<{ status: string }>(sql`select status from enrollments where lead_id = ${sent.get(who)!.leadId}`),
    );
    return r.rows[0]!.status;
  } finally {
    await sc.dispose();
  }
};

describe("inbound mail", () => {
  it("a human reply stops the sequence, opens an inbox thread and can be answered in-thread", async () => {
    const r = await feed("reply-gmail.eml", "maria", "maria@acme-prospect.test");
    expect(r.json).toMatchObject({ handled: "reply" });
    expect(await enrollmentStatus("maria")).toBe("replied");
    expect((await feed("reply-gmail.eml", "maria", "maria@acme-prospect.test")).json.handled).toBe("duplicate");

    const inbox = await call("GET", "/api/v1/inbox", su.s);
    const thread = inbox.json.items.find((t: { participant: string }) => t.participant === `maria@${su.domain}`);
    expect(thread).toMatchObject({ unread: true, status: "open", campaignId });
    const full = await call("GET", `/api/v1/inbox/${thread.id}`, su.s);
    expect(full.json.messages.map((m: { direction: string }) => m.direction)).toEqual(["out", "in"]);
    expect(full.json.messages[1].text).toMatch(/happy to talk on Thursday/);

    const reply = await call("POST", `/api/v1/inbox/${thread.id}/reply`, { ...su.s, body: { text: "Great — Thursday 10:00 works. Ann" } });
    expect(reply.status).toBe(200);
    const out = await until(
      () => received(su.domain),
      (m) => m.some((x) => x.subject.startsWith("Re:") && x.text.includes("Thursday 10:00")),
    );
    const mail = out.find((x) => x.text.includes("Thursday 10:00"))!;
    expect(mail.headers["in-reply-to"]).toBe("<CAF=abc123XyZ@mail.gmail.com>");
    expect(mail.headers.references).toContain(sent.get("maria")!.messageId);
    expect(mail.headers["list-unsubscribe"]).toBeUndefined();

    const marked = await call("PATCH", `/api/v1/inbox/${thread.id}`, {
      ...su.s,
      body: { unread: false, category: "meeting_booked", assignedTo: su.t.userId },
    });
    expect(marked.json).toMatchObject({ unread: false, category: "meeting_booked", assignedTo: su.t.userId });

    // Every inbox filter narrows to what it names, and archiving moves the thread out of the open view.
    const ids = async (q: string) => (await call("GET", `/api/v1/inbox?${q}`, su.s)).json.items.map((t: { id: string }) => t.id);
    expect(await ids(`campaignId=${campaignId}`)).toContain(thread.id);
    expect(await ids(`workspaceId=${su.t.workspaceId}`)).toContain(thread.id);
    expect(await ids(`mailboxId=${thread.mailboxId}`)).toContain(thread.id);
    expect(await ids("mailboxId=mbx_not_this_one")).not.toContain(thread.id);
    expect(await ids("category=meeting_booked")).toEqual([thread.id]);
    expect(await ids("unread=true")).not.toContain(thread.id);
    const archived = await call("PATCH", `/api/v1/inbox/${thread.id}`, { ...su.s, body: { status: "archived" } });
    expect(archived.json.status).toBe("archived");
    expect(await ids("status=open")).not.toContain(thread.id);
    expect(await ids("status=archived")).toEqual([thread.id]);
    await call("PATCH", `/api/v1/inbox/${thread.id}`, { ...su.s, body: { status: "open" } });
    const stats = await call("GET", `/api/v1/campaigns/${campaignId}`, su.s);
    expect(stats.json.stats.replied).toBe(1);
  });

  it("shows the lead's timeline: the message sent and the reply", async () => {
    const { leadTimeline } = await import("../../workers/leads/timeline.ts");
    const sc = scope();
    sc.actor = { kind: "user", userId: su.t.userId, sessionId: "ses_test", email: su.t.email, name: "T" };
    sc.tenant = { id: su.t.tenantId, name: "", role: "owner" };
    try {
      const items = (await leadTimeline(sc, sent.get("maria")!.leadId)) as unknown as { kind?: string; type?: string }[];
      const kinds = JSON.stringify(items);
      expect(kinds).toContain("replied");
      expect(kinds).toContain("Quick question");
    } finally {
      await sc.dispose();
    }
  });

  it("an out-of-office reply is recorded but does not stop the sequence", async () => {
    expect((await feed("ooo-autoreply.eml", "petra", "petra@acme-prospect.test")).json.handled).toBe("auto_reply");
    expect(await enrollmentStatus("petra")).toBe("active");
    const inbox = await call("GET", "/api/v1/inbox?category=out_of_office", su.s);
    expect(inbox.json.items.map((t: { participant: string }) => t.participant)).toContain(`petra@${su.domain}`);
  });

  it("a dashboard reply never goes to an address suppressed by hand, but may answer one who unsubscribed", async () => {
    const inbox = await call("GET", "/api/v1/inbox?category=out_of_office", su.s);
    const thread = inbox.json.items.find((t: { participant: string }) => t.participant === `petra@${su.domain}`);
    const before = (await received(su.domain)).length;
    const added = await call("POST", "/api/v1/suppressions", { ...su.s, body: { value: `petra@${su.domain}`, reason: "manual" } });
    expect(added.status).toBe(201);
    const refused = await call("POST", `/api/v1/inbox/${thread.id}/reply`, { ...su.s, body: { text: "Following up" } });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("CONFLICT");
    expect(refused.json.error.message).toMatch(/suppressed \(manual/);
    // Nothing was sent and nothing was recorded on the thread.
    expect((await received(su.domain)).length).toBe(before);
    const full = await call("GET", `/api/v1/inbox/${thread.id}`, su.s);
    expect(full.json.messages.filter((m: { direction: string }) => m.direction === "out")).toHaveLength(1);

    // Swap the manual suppression for an unsubscribe: answering the lead's own mail is allowed.
    await call("DELETE", `/api/v1/suppressions/${added.json.id}`, su.s);
    const unsub = await call("POST", "/api/v1/suppressions", { ...su.s, body: { value: `petra@${su.domain}`, reason: "unsubscribed" } });
    expect(unsub.status).toBe(201);
    const ok = await call("POST", `/api/v1/inbox/${thread.id}/reply`, { ...su.s, body: { text: "Understood, removed you. Ann" } });
    expect(ok.status).toBe(200);
    await until(
      () => received(su.domain),
      (m) => m.some((x) => x.text.includes("removed you")),
    );
  });

  it("a hard bounce suppresses the address and stops the lead", async () => {
    expect((await feed("postfix-hard.eml", "nobody", "nobody@acme-prospect.test")).json.handled).toBe("bounce_hard");
    expect(await enrollmentStatus("nobody")).toBe("bounced");
    const check = await call("GET", `/api/v1/suppressions/check?workspaceId=${su.t.workspaceId}&email=nobody@${su.domain}`, su.s);
    expect(check.json).toMatchObject({ allowed: false, suppressionReason: "hard_bounce" });
    const c = await call("GET", `/api/v1/campaigns/${campaignId}`, su.s);
    expect(c.json.stats.bounced).toBe(1);
  });

  it("a bounce suppresses the address its send went to, never another one its report names", async () => {
    // The report quotes fwd's Message-ID but names gone@acme-prospect.test (a forwarding target,
    // or a forgery): fwd is the address we cannot reach; the other one is left alone.
    expect((await feed("exim-hard.eml", "fwd")).json.handled).toBe("bounce_hard");
    const check = (email: string) => call("GET", `/api/v1/suppressions/check?workspaceId=${su.t.workspaceId}&email=${email}`, su.s);
    expect((await check(`fwd@${su.domain}`)).json).toMatchObject({ allowed: false, suppressionReason: "hard_bounce" });
    expect((await check("gone@acme-prospect.test")).json).toMatchObject({ allowed: true });
  });

  it("suppresses after the third soft bounce, and at once for hard bounces as Gmail, Outlook and Yahoo send them", async () => {
    const check = async (who: string) =>
      (await call("GET", `/api/v1/suppressions/check?workspaceId=${su.t.workspaceId}&email=${who}@${su.domain}`, su.s)).json;
    // A mailbox-full report carries no Message-ID of its own: each one here gets one, as separate reports would.
    const results: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const raw = `Message-ID: <soft-${i}-${Date.now()}@mx.acme-prospect.test>\r\n${fixtures["soft-full.eml"]!.replaceAll(FIXTURE_MID, sent.get("soft")!.messageId)}`;
      results.push((await call("POST", "/api/dev/inbound", { rawBody: raw, headers: { "content-type": "message/rfc822" } })).json.handled);
      if (i < 3) expect((await check("soft")).allowed).toBe(true);
    }
    expect(results).toEqual(["bounce_soft", "bounce_soft", "bounce_soft_suppressed"]);
    expect((await check("soft")).allowed).toBe(false);
    expect(await enrollmentStatus("soft")).toBe("bounced");

    for (const [fixture, who, address] of [
      ["gmail-hard.eml", "gmailed", "missing.person@gmail.com"],
      ["outlook-ndr.eml", "outlooked", "left.company@contoso-prospect.test"],
      ["yahoo-hard.eml", "yahooed", "no.account@yahoo.com"],
    ] as const) {
      expect([fixture, (await feed(fixture, who, address)).json.handled]).toEqual([fixture, "bounce_hard"]);
      expect([fixture, await check(who)]).toMatchObject([fixture, { allowed: false, suppressionReason: "hard_bounce" }]);
      expect([fixture, await enrollmentStatus(who)]).toEqual([fixture, "bounced"]);
    }
  });

  it("a complaint suppresses the address platform-wide and alerts the account's owners", async () => {
    expect((await feed("arf-complaint.eml", "angry", "annoyed@yahoo.com")).json.handled).toBe("complaint");
    expect(await enrollmentStatus("angry")).toBe("complained");
    const check = await call("GET", `/api/v1/suppressions/check?workspaceId=${su.t.workspaceId}&email=angry@${su.domain}`, su.s);
    expect(check.json).toMatchObject({ allowed: false, scope: "global", suppressionReason: "complaint" });
    const alert = (await latestMail(su.t.email, "infra_alert")).mail;
    expect(alert.subject).toMatch(/^Spam complaint from /);
    expect(alert.text).toContain("suppressed on the whole platform");
  });

  it("ignores mail it cannot place and never errors", async () => {
    const r = await call("POST", "/api/dev/inbound", {
      rawBody: "Subject: hello\r\n\r\nhi\r\n",
      headers: { "content-type": "message/rfc822" },
    });
    expect(r.json.handled).toBe("ignored");
  });
});

/**
 * VERP (workers/sending/verp.ts): a hosted mailbox's bounce comes back to
 * bounce+<send>-<tenant>@<inbound domain>, and that envelope recipient alone places it.
 */
describe("bounces to the VERP return-path", () => {
  const INBOUND = "inbound.penguinmails.test";
  // The fixture's ids (the same send/tenant as FIXTURE_MID), re-pointed at a send this run made.
  const verpFixture = (who: string) =>
    fixtures["verp-postfix-no-headers.eml"]!.replaceAll("01M8J1AWDRMND42H56VQPV1VGD", sent.get(who)!.sendId.slice(4))
      .replaceAll("01M8J1AR5RH8DR96N5YPQPFZ2J", su.t.tenantId.slice(4))
      .replaceAll("gone@acme-prospect.test", `${who}@${su.domain}`);
  const feedTo = (raw: string, to?: string) =>
    call("POST", `/api/dev/inbound${to ? `?to=${encodeURIComponent(to)}` : ""}`, {
      rawBody: raw,
      headers: { "content-type": "message/rfc822" },
    });
  /** Cloudflare Email Routing's hand-off to the Worker's email() handler, as workerd makes it. */
  const deliverToWorker = async (raw: string, to: string) => {
    const message = {
      from: "", // a DSN's envelope sender is null (<>)
      to,
      raw: new Response(raw).body!,
      rawSize: raw.length,
      headers: new Headers({ subject: "Undelivered Mail Returned to Sender" }),
      setReject: () => undefined,
      forward: async () => ({ messageId: "" }),
      reply: async () => ({ messageId: "" }),
    } as unknown as ForwardableEmailMessage;
    const exec = createExecutionContext();
    await worker.email!(message, env, exec);
    await waitOnExecutionContext(exec);
  };
  const facts = async (who: string) => {
    const sc = scope();
    try {
      return await runInTx(sc.db, { tenantId: su.t.tenantId }, async (tx) => ({
        send: (await tx.execute<{ status: string }>(sql`select status from sends where id = ${sent.get(who)!.sendId}`)).rows[0]!.status,
        bounces: (
          await tx.execute<{ meta: Record<string, unknown> }>(
            sql`select meta from email_events where send_id = ${sent.get(who)!.sendId} and type = 'bounced'`,
          )
        ).rows.map((r) => r.meta),
      }));
    } finally {
      await sc.dispose();
    }
  };

  it("a DSN that returned no headers (no Message-ID) is matched by the envelope recipient alone", async () => {
    const raw = verpFixture("ghost");
    expect(raw).not.toMatch(/snd_[0-9A-Z]{26}\.ten_/); // nothing but the VERP address names the send
    // Without the envelope recipient there is nothing to place it by.
    expect((await feedTo(raw)).json).toEqual({ handled: "bounce_unmatched" });
    expect(await enrollmentStatus("ghost")).toBe("active");

    // Through the Worker's own email() handler, with the local part lower-cased on the way.
    await deliverToWorker(raw, verpAddress(sent.get("ghost")!.sendId, su.t.tenantId, INBOUND).toLowerCase());
    expect(await enrollmentStatus("ghost")).toBe("bounced");
    const check = await call("GET", `/api/v1/suppressions/check?workspaceId=${su.t.workspaceId}&email=ghost@${su.domain}`, su.s);
    expect(check.json).toMatchObject({ allowed: false, suppressionReason: "hard_bounce" });
    const f = await facts("ghost");
    expect(f.send).toBe("bounced");
    expect(f.bounces).toEqual([expect.objectContaining({ class: "hard", status: "5.1.1", matchedBy: "verp" })]);

    // The same report again (dev feed, same envelope) changes nothing more.
    const again = await feedTo(raw, verpAddress(sent.get("ghost")!.sendId, su.t.tenantId, INBOUND));
    expect(again.json).toMatchObject({ handled: "duplicate", via: "verp", sendId: sent.get("ghost")!.sendId });
    expect((await facts("ghost")).bounces).toHaveLength(1);
  });

  it("a VERP address naming no send of that tenant is dropped like unmatched mail", async () => {
    const raw = verpFixture("petra");
    const unknownSend = await feedTo(raw, verpAddress(newId("snd"), su.t.tenantId, INBOUND));
    expect(unknownSend.json).toEqual({ handled: "bounce_unknown_send", via: "verp" });
    // A real send paired with another tenant finds nothing either (RLS scopes the lookup).
    const wrongTenant = await feedTo(raw, verpAddress(sent.get("petra")!.sendId, newId("ten"), INBOUND));
    expect(wrongTenant.json).toEqual({ handled: "bounce_unknown_send", via: "verp" });
    expect(await enrollmentStatus("petra")).toBe("active");
    expect((await facts("petra")).bounces).toEqual([]);
  });
});
