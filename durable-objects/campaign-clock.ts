import { DurableObject } from "cloudflare:workers";

/**
 * One per campaign: remembers when the campaign next has work and wakes by alarm to enqueue a
 * `campaign.tick`. It holds time only — the tick's consumer does the SQL and reports the next time.
 * Alarms are at-least-once; ticks are idempotent, so a doubled alarm costs one empty tick.
 */
interface ClockState {
  tenantId: string;
  campaignId: string;
  nextAt: number | null;
}

export class CampaignClock extends DurableObject<Env> {
  async schedule(tenantId: string, campaignId: string, nextAt: number | null): Promise<void> {
    await this.ctx.storage.put<ClockState>("clock", { tenantId, campaignId, nextAt });
    if (nextAt === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(nextAt, Date.now()));
  }

  async state(): Promise<ClockState | null> {
    return (await this.ctx.storage.get<ClockState>("clock")) ?? null;
  }

  override async alarm(): Promise<void> {
    const s = await this.ctx.storage.get<ClockState>("clock");
    if (!s) return;
    await this.env.CAMPAIGN_QUEUE.send({ kind: "campaign.tick", tenantId: s.tenantId, campaignId: s.campaignId });
  }
}
