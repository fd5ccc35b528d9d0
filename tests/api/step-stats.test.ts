import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env as cfEnv } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runInTx } from "../../workers/platform/db.ts";
import { newId } from "../../workers/platform/ids.ts";
import { handleQueue } from "../../workers/queues/index.ts";
import { resubscribe, unsubscribe } from "../../workers/sending/unsubscribe.ts";
import { call, scope, seed, signInAs } from "../support/api.ts";

const env = cfEnv as unknown as Env;

/**
 * Campaign counts per step and A/B variant (GET /api/v1/campaigns/{id}/steps, the campaign page's
 * chart): each event is attributed to the variant of its own send, not to its lead's other sends;
 * machine opens and clicks and auto-replies are not counted; an unsubscribe counts unless the
 * person resubscribed since (through any send); the campaign's own counts agree.
 */
describe("per step and variant counts", () => {
  it("counts opens, clicks, replies and unsubscribes for the variant whose e-mail they came from", async () => {
    const t = await seed("StepStats");
    const s = await signInAs(t);
    const cmp = await call("POST", "/api/v1/campaigns", {
      ...s,
      body: {
        name: "A/B",
        workspaceId: t.workspaceId,
        steps: [
          {
            variants: [
              { subject: "Subject A", text: "Hello", html: "<p>Hello</p>" },
              { subject: "Subject B", text: "Hi" },
            ],
          },
          { waitMinutes: 2 * 24 * 60, variants: [{ subject: "Follow-up", text: "Again" }] },
        ],
      },
    });
    expect(cmp.status).toBe(201);
    const [step1, step2] = cmp.json.steps as { id: string; variants: { id: string; label: string }[] }[];
    const [varA, varB] = step1!.variants;
    const follow = step2!.variants[0]!;

    type Sent = { sendId: string; leadId: string; email: string };
    const db = () => scope().db;
    async function send(leadId: string, email: string, enrollmentId: string, stepId: string, variantId: string): Promise<Sent> {
      const sendId = newId("snd");
      await runInTx(db(), { tenantId: t.tenantId }, (tx) =>
        tx.execute(sql`insert into sends (id, tenant_id, campaign_id, enrollment_id, lead_id, step_id, variant_id, idempotency_key, status, sent_at)
          values (${sendId}, ${t.tenantId}, ${cmp.json.id}, ${enrollmentId}, ${leadId}, ${stepId}, ${variantId}, ${`test:${sendId}`}, 'sent', now())`),
      );
      return { sendId, leadId, email };
    }
    // Step 1: three e-mails of variant A (people 0–2), one of variant B (person 3). Step 2: people 0–2 again.
    const first: Sent[] = [];
    const second: Sent[] = [];
    for (const [i, variantId] of [varA!.id, varA!.id, varA!.id, varB!.id].entries()) {
      const email = `person${i}@stepstats.test`;
      const lead = await call("POST", "/api/v1/leads", { ...s, body: { workspaceId: t.workspaceId, email } });
      expect(lead.status).toBe(201);
      const enrollmentId = newId("enr");
      await runInTx(db(), { tenantId: t.tenantId }, (tx) =>
        tx.execute(
          sql`insert into enrollments (id, tenant_id, campaign_id, lead_id) values (${enrollmentId}, ${t.tenantId}, ${cmp.json.id}, ${lead.json.id})`,
        ),
      );
      first.push(await send(lead.json.id, email, enrollmentId, step1!.id, variantId));
      if (i < 3) second.push(await send(lead.json.id, email, enrollmentId, step2!.id, follow.id));
    }
    const [a0, a1, a2, b0] = first as [Sent, Sent, Sent, Sent];
    const [f0, f1] = second as [Sent, Sent, Sent];

    // Opens and clicks through the events consumer, as the pixel and redirect queue them.
    const hit = (x: Sent, type: "opened" | "clicked", flag: string | null = null) => ({
      tenantId: t.tenantId,
      campaignId: cmp.json.id,
      sendId: x.sendId,
      type,
      at: Date.now(),
      flag,
      ...(type === "clicked" ? { url: "https://example.com/" } : {}),
    });
    const batch = createMessageBatch("pm-events", [
      {
        id: `stepstats-${Math.random().toString(36).slice(2)}`,
        timestamp: new Date(),
        attempts: 1,
        body: {
          kind: "track.hits",
          hits: [
            hit(a0, "opened"),
            hit(a0, "opened"), // the same person again: one opened e-mail
            hit(a1, "opened"),
            hit(a2, "opened", "apple_mpp"), // machine: stored, not counted
            hit(a0, "clicked"),
            hit(a2, "clicked", "scanner_ua"),
            hit(b0, "opened"),
            hit(f1, "clicked"), // the follow-up's, not person 1's first e-mail's
          ],
        },
      },
    ]);
    const exec = createExecutionContext();
    await handleQueue(batch, env, exec);
    expect((await getQueueResult(batch, exec)).retryMessages).toEqual([]);

    // A reply to the first e-mail and an out-of-office to the follow-up, as inbound processing records them.
    await runInTx(db(), { tenantId: t.tenantId }, async (tx) => {
      for (const [x, auto] of [
        [a1, false],
        [f0, true],
      ] as const)
        await tx.execute(sql`insert into email_events (id, tenant_id, campaign_id, send_id, lead_id, type, meta)
          values (${newId("evt")}, ${t.tenantId}, ${cmp.json.id}, ${x.sendId}, ${x.leadId}, 'replied', ${JSON.stringify({ auto })}::jsonb)`);
    });

    // Unsubscribes through the real verbs.
    const claims = (x: Sent) => ({ t: t.tenantId, w: t.workspaceId, e: x.email, s: x.sendId });
    await unsubscribe(scope(), claims(a2)); // stays out
    await unsubscribe(scope(), claims(a1));
    await resubscribe(scope(), claims(f1)); // person 1 undoes it from the follow-up's footer
    await unsubscribe(scope(), claims(b0));
    await resubscribe(scope(), claims(b0));
    await unsubscribe(scope(), claims(b0)); // … and leaves again

    const res = await call("GET", `/api/v1/campaigns/${cmp.json.id}/steps`, s);
    expect(res.status).toBe(200);
    const pick = (r: Record<string, unknown>) => ({
      position: r.position,
      variant: r.variant,
      hasHtml: r.hasHtml,
      sent: r.sent,
      opened: r.opened,
      clicked: r.clicked,
      replied: r.replied,
      unsubscribed: r.unsubscribed,
    });
    expect(res.json.items.map(pick)).toEqual([
      { position: 1, variant: varA!.label, hasHtml: true, sent: 3, opened: 2, clicked: 1, replied: 1, unsubscribed: 1 },
      { position: 1, variant: varB!.label, hasHtml: false, sent: 1, opened: 1, clicked: 0, replied: 0, unsubscribed: 1 },
      { position: 2, variant: follow.label, hasHtml: false, sent: 3, opened: 0, clicked: 1, replied: 0, unsubscribed: 0 },
    ]);
    // The same events through GET /api/v1/events, newest first, page by page without gaps or repeats.
    const seen: { id: string; type: string; machine: string | null; auto: boolean; undone: boolean }[] = [];
    let before: string | null = null;
    do {
      const page = await call("GET", `/api/v1/events?campaignId=${cmp.json.id}&limit=4${before ? `&before=${before}` : ""}`, s);
      expect(page.status).toBe(200);
      seen.push(...page.json.items);
      before = page.json.nextCursor;
    } while (before);
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    const byType = (type: string) => seen.filter((e) => e.type === type);
    // 7 distinct hits (one open repeated), 2 replies, 6 unsubscribe events (4 unsubscribes, 2 undos).
    expect([byType("opened").length, byType("clicked").length, byType("replied").length, byType("unsubscribed").length]).toEqual([
      5, 3, 2, 6,
    ]);
    expect(byType("opened").filter((e) => e.machine === "apple_mpp")).toHaveLength(1);
    expect(byType("replied").filter((e) => e.auto)).toHaveLength(1);
    expect(byType("unsubscribed").filter((e) => e.undone)).toHaveLength(2);
    const onlyClicks = await call("GET", `/api/v1/events?campaignId=${cmp.json.id}&type=clicked&leadId=${a0.leadId}`, s);
    expect(onlyClicks.json.items.map((e: { type: string; sendId: string }) => [e.type, e.sendId])).toEqual([["clicked", a0.sendId]]);

    // The campaign's own counts agree (opens and clicks per e-mail, replies and unsubscribes per person).
    const got = await call("GET", `/api/v1/campaigns/${cmp.json.id}`, s);
    // Apple Mail privacy opens are reported apart (person 2's), never in `opened`.
    expect(got.json.stats).toMatchObject({ opened: 3, appleMppOpened: 1, clicked: 2, replied: 1, unsubscribed: 2 });
  }, 60_000);
});
