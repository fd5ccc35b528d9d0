import { sql } from "drizzle-orm";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";

export interface TrackEvent {
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
 */
export async function recordTrackingEvents(ctx: Ctx, events: TrackEvent[]) {
  const byTenant = new Map<string, TrackEvent[]>();
  for (const e of events) byTenant.set(e.tenantId, [...(byTenant.get(e.tenantId) ?? []), e]);
  for (const [tenantId, list] of byTenant) {
    await runInTx(ctx.db, { tenantId, userId: null }, async (tx) => {
      // Only sends that exist in this tenant: a token for a deleted campaign records nothing.
      const known = await tx.execute<{ id: string; lead_id: string }>(
        sql`select id, lead_id from sends where id = any(${sql.param([...new Set(list.map((e) => e.sendId))])}::text[])`,
      );
      const leadOf = new Map(known.rows.map((r) => [r.id, r.lead_id]));
      const rows = list.filter((e) => leadOf.has(e.sendId));
      if (!rows.length) return;
      const human = rows.filter((e) => !e.flag);
      const firsts = human.length
        ? await tx.execute<{ send_id: string; type: string }>(sql`
            select v.send_id, v.type from unnest(${sql.param(human.map((e) => e.sendId))}::text[], ${sql.param(human.map((e) => e.type))}::text[]) as v(send_id, type)
            where not exists (select 1 from email_events ev where ev.send_id = v.send_id and ev.type = v.type and ev.meta ->> 'machine' is null)`)
        : { rows: [] };
      const firstKey = new Set(firsts.rows.map((r) => `${r.send_id}:${r.type}`));
      await tx.execute(sql`
        insert into email_events (id, tenant_id, campaign_id, send_id, lead_id, type, at, meta)
        select * from unnest(
          ${sql.param(rows.map(() => newId("evt")))}::text[], ${sql.param(rows.map(() => tenantId))}::text[], ${sql.param(rows.map((e) => e.campaignId))}::text[],
          ${sql.param(rows.map((e) => e.sendId))}::text[], ${sql.param(rows.map((e) => leadOf.get(e.sendId)!))}::text[], ${sql.param(rows.map((e) => e.type))}::text[],
          ${sql.param(rows.map((e) => new Date(e.at).toISOString()))}::timestamptz[], ${sql.param(rows.map((e) => JSON.stringify({ ...(e.flag ? { machine: e.flag } : {}), ...(e.url ? { url: e.url } : {}) })))}::jsonb[])`);
      const counted = new Map<string, { campaignId: string; day: string; type: string; count: number; unique: number }>();
      const seen = new Set<string>();
      for (const e of human) {
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
    });
  }
}
