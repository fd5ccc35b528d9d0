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

  /**
   * For a tick that failed every retry (`pm-campaigns-dlq`): the alarm that sent it has fired, so
   * nothing would wake the campaign again. Arms the alarm for `at` unless the clock was set since —
   * stopped (`nextAt` null: pause, stop, or a later tick with nothing due) or already armed again
   * (resume, a later tick, a requeued send). Returns whether it armed.
   */
  async rearm(tenantId: string, campaignId: string, at: number): Promise<boolean> {
    const s = await this.state();
    if (s && s.nextAt === null) return false;
    if ((await this.ctx.storage.getAlarm()) !== null) return false;
    await this.schedule(tenantId, campaignId, at);
    return true;
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
