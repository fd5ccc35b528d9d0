import { env as cfEnv } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { call, scope, seed, signInAs } from "../../tests/support/api.ts";
import { runInTx } from "../../workers/platform/db.ts";
import { BENCH_BODY } from "./node-baseline.ts";

const e = cfEnv as unknown as Record<string, string>;
const MESSAGES = Number(e.BENCH_MESSAGES);

async function runWith(mailboxCount: number) {
  const t = await seed(`Send${mailboxCount}`);
  const s = await signInAs(t);
  const domain = `m${mailboxCount}-${Date.now()}.bench`;
  await call("PATCH", `/api/v1/workspaces/${t.workspaceId}`, { ...s, body: { postalAddress: "1 Penguin Way, 10115 Berlin, Germany" } });
  const list = await call("POST", "/api/v1/lists", { ...s, body: { workspaceId: t.workspaceId, name: "Bench" } });
  const sc = scope();
  await runInTx(sc.db, { tenantId: t.tenantId }, async (tx) => {
    await tx.execute(sql`insert into leads (id, tenant_id, workspace_id, email, email_domain, first_name)
      select ${`led_b${mailboxCount}x${Date.now()}_`} || g, ${t.tenantId}, ${t.workspaceId}, 'lead' || g || '@' || ${domain}, ${domain}, 'Lead' || g from generate_series(1, ${MESSAGES}) g`);
    await tx.execute(
      sql`insert into lead_list_members (tenant_id, list_id, lead_id) select ${t.tenantId}, ${list.json.id}, l.id from leads l where l.tenant_id = ${t.tenantId}`,
    );
  });
  const mailboxIds: string[] = [];
  for (let i = 0; i < mailboxCount; i++) {
    const m = await call("POST", "/api/v1/mailboxes", {
      ...s,
      body: {
        workspaceId: t.workspaceId,
        email: `ann${i}@sender${i % 7}-${mailboxCount}.bench`,
        fromName: "Ann Sender",
        smtpHost: "127.0.0.1",
        smtpPort: Number(e.BENCH_SMTP_PORT),
        smtpSecurity: "none",
        smtpUsername: "bench",
        smtpPassword: "bench",
        minGapSeconds: 0,
      },
    });
    mailboxIds.push(m.json.id);
  }
  // The benchmark measures the pipeline, not the per-mailbox daily cap: lift it for these mailboxes.
  await runInTx(sc.db, { tenantId: t.tenantId }, (tx) =>
    tx.execute(sql`update mailboxes set daily_limit = 1000000 where tenant_id = ${t.tenantId}`),
  );
  const c = await call("POST", "/api/v1/campaigns", {
    ...s,
    body: {
      name: "Bench",
      workspaceId: t.workspaceId,
      listIds: [list.json.id],
      mailboxIds,
      schedule: { days: [1, 2, 3, 4, 5, 6, 7], startMinute: 0, endMinute: 1440, timezone: "UTC" },
      steps: [{ variants: [{ subject: "Quick question, {{first_name}}", text: BENCH_BODY }] }],
    },
  });
  const t0 = performance.now();
  const launched = await call("POST", `/api/v1/campaigns/${c.json.id}/launch`, s);
  expect(launched.status).toBe(200);
  let count = 0;
  for (;;) {
    count = ((await (await fetch(`${e.BENCH_COUNT_URL}?domain=${domain}`)).json()) as { count: number }).count;
    if (count >= MESSAGES) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = (performance.now() - t0) / 1000;
  const stats = (await call("GET", `/api/v1/campaigns/${c.json.id}`, s)).json.stats;
  await sc.dispose();
  return { seconds, count, stats };
}

/**
 * The pooled Node client's rate, measured now (the sink runs it on request): the median of three
 * runs, because one run of it swings by ±20 % on this machine while the pipeline's barely moves.
 */
async function baseline(): Promise<number> {
  const rates: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await fetch(e.BENCH_BASELINE_URL!);
    expect(r.status).toBe(200);
    rates.push(MESSAGES / ((await r.json()) as { seconds: number }).seconds);
  }
  return rates.sort((a, b) => a - b)[1]!;
}

it(`sends ${MESSAGES} messages through the pipeline`, async () => {
  const lines = [
    `send-pipeline benchmark (${MESSAGES} messages, database: ${e.BENCH_DB})`,
    `  warm-up: pooled Node client (nodemailer, 5 connections) ${(MESSAGES / Number(e.BENCH_BASELINE_SECONDS)).toFixed(0)} msg/s`,
  ];
  for (const n of e.BENCH_MAILBOXES!.split(",").map(Number)) {
    const baselineRate = await baseline();
    const r = await runWith(n);
    expect(r.count).toBe(MESSAGES);
    const rate = MESSAGES / r.seconds;
    lines.push(
      `  ${String(n).padStart(3)} mailbox(es): pipeline ${r.seconds.toFixed(1)} s = ${rate.toFixed(0)} msg/s; nodemailer just before ${baselineRate.toFixed(0)} msg/s (median of 3); ratio ${(rate / baselineRate).toFixed(2)}x  (sent ${r.stats.sent}, duplicates ${r.count - MESSAGES})`,
    );
  }
  console.log(`\n${lines.join("\n")}\n`);
});
