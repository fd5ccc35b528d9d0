import { DurableObject } from "cloudflare:workers";
import { type PaceDecision, type PaceLimits, type PaceState, reserveSlot } from "../workers/campaigns/rules.ts";
import { localDayKey } from "../workers/campaigns/time.ts";

/**
 * One per mailbox: today's send count (in the mailbox's zone) and the time of the last send. Being a
 * single-threaded object, two campaigns sharing a mailbox can never both take its last slot.
 */
export class MailboxPacer extends DurableObject<Env> {
  async reserve(limits: PaceLimits, now = Date.now()): Promise<PaceDecision> {
    const decision = reserveSlot(limits, (await this.ctx.storage.get<PaceState>("pace")) ?? null, now);
    if (decision.ok) await this.ctx.storage.put("pace", decision.state);
    return decision;
  }

  /** Up to `n` slots at once (one round trip per mailbox per tick); returns how many were granted. */
  async reserveMany(limits: PaceLimits, n: number, now = Date.now()): Promise<{ granted: number; retryAt: number | null }> {
    let state = (await this.ctx.storage.get<PaceState>("pace")) ?? null;
    let granted = 0;
    let retryAt: number | null = null;
    for (let i = 0; i < n; i++) {
      const d = reserveSlot(limits, state, now);
      if (!d.ok) {
        retryAt = d.retryAt;
        break;
      }
      state = d.state;
      granted++;
    }
    if (granted) await this.ctx.storage.put("pace", state);
    return { granted, retryAt };
  }

  /** Gives reserved slots back when their sends never reached SMTP (requeued, postponed, cancelled). */
  async release(now = Date.now(), tz = "UTC", n = 1): Promise<void> {
    const s = await this.ctx.storage.get<PaceState>("pace");
    if (s && s.dayKey === localDayKey(new Date(now), tz) && s.sentToday > 0)
      await this.ctx.storage.put("pace", { ...s, sentToday: Math.max(0, s.sentToday - n) });
  }

  async usage(tz: string, now = Date.now()): Promise<{ sentToday: number; lastSentAt: number | null }> {
    const s = await this.ctx.storage.get<PaceState>("pace");
    if (!s) return { sentToday: 0, lastSentAt: null };
    return { sentToday: s.dayKey === localDayKey(new Date(now), tz) ? s.sentToday : 0, lastSentAt: s.lastSentAt };
  }
}
