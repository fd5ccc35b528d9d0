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
 * chart): each event is attributed to its variant through its send; machine opens and clicks,
 * auto-replies and unsubscribes undone since are not counted; an unsubscribe counts for its campaign.
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
              { subject: "Subject A", text: "Hello" },
              { subject: "Subject B", text: "Hi" },
            ],
          },
        ],
      },
    });
    expect(cmp.status).toBe(201);
    const step = cmp.json.steps[0] as { id: string; variants: { id: string; label: string }[] };
    const [varA, varB] = step.variants;

    // Four sent e-mails: three of variant A, one of variant B.
    const sendsOf: { sendId: string; leadId: string; email: string; variantId: string }[] = [];
    for (const [i, variantId] of [varA!.id, varA!.id, varA!.id, varB!.id].entries()) {
      const email = `person${i}@stepstats.test`;
      const lead = await call("POST", "/api/v1/leads", { ...s, body: { workspaceId: t.workspaceId, email } });
      expect(lead.status).toBe(201);
      const sendId = newId("snd");
      const enrollmentId = newId("enr");
      await runInTx(scope().db, { tenantId: t.tenantId }, async (tx) => {
        await tx.execute(
          sql`insert into enrollments (id, tenant_id, campaign_id, lead_id) values (${enrollmentId}, ${t.tenantId}, ${cmp.json.id}, ${lead.json.id})`,
        );
        await tx.execute(sql`insert into sends (id, tenant_id, campaign_id, enrollment_id, lead_id, step_id, variant_id, idempotency_key, status, sent_at)
          values (${sendId}, ${t.tenantId}, ${cmp.json.id}, ${enrollmentId}, ${lead.json.id}, ${step.id}, ${variantId}, ${`test:${sendId}`}, 'sent', now())`);
      });
      sendsOf.push({ sendId, leadId: lead.json.id, email, variantId });
    }
    const [a0, a1, a2, b0] = sendsOf as [(typeof sendsOf)[0], (typeof sendsOf)[0], (typeof sendsOf)[0], (typeof sendsOf)[0]];

    // Opens and clicks through the events consumer, as the pixel and redirect queue them.
    const hit = (x: typeof a0, type: "opened" | "clicked", flag: string | null = null) => ({
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
            hit(a0, "opened"), // the same person again: one opened send
            hit(a1, "opened"),
            hit(a2, "opened", "apple_mpp"), // machine: stored, not counted
            hit(a0, "clicked"),
            hit(a2, "clicked", "scanner_ua"),
            hit(b0, "opened"),
          ],
        },
      },
    ]);
    const exec = createExecutionContext();
    await handleQueue(batch, env, exec);
    expect((await getQueueResult(batch, exec)).retryMessages).toEqual([]);

    // A reply and an out-of-office (recorded, not counted), as inbound processing records them.
    await runInTx(scope().db, { tenantId: t.tenantId }, async (tx) => {
      for (const [x, auto] of [
        [a1, false],
        [b0, true],
      ] as const)
        await tx.execute(sql`insert into email_events (id, tenant_id, campaign_id, send_id, lead_id, type, meta)
          values (${newId("evt")}, ${t.tenantId}, ${cmp.json.id}, ${x.sendId}, ${x.leadId}, 'replied', ${JSON.stringify({ auto })}::jsonb)`);
    });

    // Unsubscribes through the real verb: one stays, one is undone.
    const claims = (x: typeof a0) => ({ t: t.tenantId, w: t.workspaceId, e: x.email, s: x.sendId });
    await unsubscribe(scope(), claims(a2));
    await unsubscribe(scope(), claims(b0));
    await resubscribe(scope(), claims(b0));

    const res = await call("GET", `/api/v1/campaigns/${cmp.json.id}/steps`, s);
    expect(res.status).toBe(200);
    const pick = (r: Record<string, unknown>) => ({
      variant: r.variant,
      sent: r.sent,
      opened: r.opened,
      clicked: r.clicked,
      replied: r.replied,
      unsubscribed: r.unsubscribed,
    });
    expect(res.json.items.map(pick)).toEqual([
      { variant: varA!.label, sent: 3, opened: 2, clicked: 1, replied: 1, unsubscribed: 1 },
      { variant: varB!.label, sent: 1, opened: 1, clicked: 0, replied: 0, unsubscribed: 0 },
    ]);
    // The campaign's own counts include the unsubscribe (its event names the campaign).
    const got = await call("GET", `/api/v1/campaigns/${cmp.json.id}`, s);
    expect(got.json.stats).toMatchObject({ opened: 3, clicked: 1, replied: 1, unsubscribed: 1 });
  }, 60_000);
});
