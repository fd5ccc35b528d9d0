import { sql } from "drizzle-orm";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { idFromSeed } from "../platform/ids.ts";

export interface TrackEvent {
  /**
   * Stable across redelivery of the same hit: the queue message id (Cloudflare keeps a message's id
   * across retries) and the hit's place in the message. The event's primary key is derived from it.
   */
  key: string;
  tenantId: string;
  campaignId: string;
  sendId: string;
  type: "opened" | "clicked";
  at: number;
  flag: string | null;
  url?: string;
}

/**
 * The events consumer: one batch-insert per tenant and one rollup upsert. Machine hits are stored
 * (with meta.machine = why) but never counted; "unique" counts a send's first human event of a type.
 *
 * Idempotent across redelivery: each tenant commits on its own, so when a later tenant fails the
 * queue retries hits whose tenant already committed. Every event's id is derived from its `key`, the
 * insert skips ids already stored (ON CONFLICT DO NOTHING … RETURNING), and only the rows it really
 * inserted are added to campaign_daily_stats.
 */
export async function recordTrackingEvents(ctx: Ctx, events: TrackEvent[]) {
  const byTenant = new Map<string, TrackEvent[]>();
  for (const e of events) {
    const list = byTenant.get(e.tenantId);
    if (list) list.push(e);
    else byTenant.set(e.tenantId, [e]);
  }
  // A tenant whose write fails does not hold back the tenants after it: they commit now, and the
  // error is thrown once all have been tried, so the queue retries the batch (the committed ones
  // are skipped then). Otherwise one failing tenant would cost every later tenant in a message
  // its hits once the retries run out.
  const failures: unknown[] = [];
  for (const [tenantId, list] of byTenant) {
    await runInTx(ctx.db, { tenantId, userId: null }, async (tx) => {
      // Only sends that exist in this tenant: a token for a deleted campaign records nothing.
      const known = await tx.execute<{ id: string; lead_id: string }>(
        sql`select id, lead_id from sends where id = any(${sql.param([...new Set(list.map((e) => e.sendId))])}::text[])`,
      );
      const leadOf = new Map(known.rows.map((r) => [r.id, r.lead_id]));
      // One row per key: a message delivered twice in one batch is still one event.
      const byId = new Map<string, TrackEvent>();
      for (const e of list) {
        const id = await idFromSeed("evt", `track:${e.key}`, e.at);
        if (leadOf.has(e.sendId) && !byId.has(id)) byId.set(id, e);
      }
      const ids = [...byId.keys()];
      const rows = [...byId.values()];
      if (!rows.length) return;
      const human = rows.filter((e) => !e.flag);
      const firsts = human.length
        ? await tx.execute<{ send_id: string; type: string }>(sql`
            select v.send_id, v.type from unnest(${sql.param(human.map((e) => e.sendId))}::text[], ${sql.param(human.map((e) => e.type))}::text[]) as v(send_id, type)
            where not exists (select 1 from email_events ev where ev.send_id = v.send_id and ev.type = v.type and ev.meta ->> 'machine' is null)`)
        : { rows: [] };
      const firstKey = new Set(firsts.rows.map((r) => `${r.send_id}:${r.type}`));
      const inserted = await tx.execute<{ id: string }>(sql`
        insert into email_events (id, tenant_id, campaign_id, send_id, lead_id, type, at, meta)
        select * from unnest(
          ${sql.param(ids)}::text[], ${sql.param(rows.map(() => tenantId))}::text[], ${sql.param(rows.map((e) => e.campaignId))}::text[],
          ${sql.param(rows.map((e) => e.sendId))}::text[], ${sql.param(rows.map((e) => leadOf.get(e.sendId)!))}::text[], ${sql.param(rows.map((e) => e.type))}::text[],
          ${sql.param(rows.map((e) => new Date(e.at).toISOString()))}::timestamptz[], ${sql.param(rows.map((e) => JSON.stringify({ ...(e.flag ? { machine: e.flag } : {}), ...(e.url ? { url: e.url } : {}) })))}::jsonb[])
        on conflict (id) do nothing
        returning id`);
      // A hit stored by an earlier delivery of its message is not counted again.
      const fresh = new Set(inserted.rows.map((r) => r.id));
      const counted = new Map<string, { campaignId: string; day: string; type: string; count: number; unique: number }>();
      const seen = new Set<string>();
      for (const [i, e] of rows.entries()) {
        if (e.flag || !fresh.has(ids[i]!)) continue;
        const day = new Date(e.at).toISOString().slice(0, 10);
        const k = `${e.campaignId}|${day}|${e.type}`;
        const cur = counted.get(k) ?? { campaignId: e.campaignId, day, type: e.type, count: 0, unique: 0 };
        cur.count++;
        const fk = `${e.sendId}:${e.type}`;
        if (firstKey.has(fk) && !seen.has(fk)) {
          cur.unique++;
          seen.add(fk);
        }
        counted.set(k, cur);
      }
      for (const c of counted.values()) {
        await tx.execute(sql`
          insert into campaign_daily_stats (tenant_id, campaign_id, day, type, count, unique_count) values (${tenantId}, ${c.campaignId}, ${c.day}::date, ${c.type}, ${c.count}, ${c.unique})
          on conflict (tenant_id, campaign_id, day, type) do update set count = campaign_daily_stats.count + excluded.count, unique_count = campaign_daily_stats.unique_count + excluded.unique_count`);
      }
    }).catch((err) => failures.push(err));
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length) throw new AggregateError(failures, `recording tracking events failed for ${failures.length} tenants`);
}
