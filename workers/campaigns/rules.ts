import { addDays, localDayKey, localTime, zonedInstant } from "./time.ts";

/**
 * Pure scheduling decisions for campaigns: sending windows, step timing, mailbox pacing and
 * rotation. Durable Objects and consumers call these; they hold no state and do no I/O.
 */
export interface SendWindow {
  /** ISO weekdays the campaign sends on (1 = Monday … 7 = Sunday). */
  days: number[];
  /** Minutes after local midnight. end < start means the window runs past midnight (e.g. 22:00–02:00). */
  startMinute: number;
  endMinute: number;
}

function inWindow(w: SendWindow, weekday: number, minute: number, prevWeekday: number): boolean {
  if (w.startMinute === w.endMinute) return false;
  if (w.startMinute < w.endMinute) return w.days.includes(weekday) && minute >= w.startMinute && minute < w.endMinute;
  // Overnight window: the part after midnight belongs to the previous day's window.
  if (minute >= w.startMinute) return w.days.includes(weekday);
  if (minute < w.endMinute) return w.days.includes(prevWeekday);
  return false;
}

/**
 * The first instant at or after `from` that falls inside the window in `tz`. Returns null when the
 * window can never open (no days, or an empty window). Looks ahead at most 8 days.
 */
export function nextWindowOpening(w: SendWindow, tz: string, from: Date): Date | null {
  if (!w.days.length || w.startMinute === w.endMinute) return null;
  const l = localTime(from, tz);
  const minute = l.hour * 60 + l.minute;
  const prev = l.weekday === 1 ? 7 : l.weekday - 1;
  if (inWindow(w, l.weekday, minute, prev)) return from;
  for (let i = 0; i <= 8; i++) {
    const d = addDays(l.year, l.month, l.day, i);
    const weekday = ((l.weekday - 1 + i) % 7) + 1;
    if (!w.days.includes(weekday)) continue;
    const at = zonedInstant(d.year, d.month, d.day, w.startMinute, tz);
    if (at.getTime() >= from.getTime()) return at;
  }
  return null;
}

/** When a step becomes due: the previous send (or enrolment) plus the step's wait. */
export function stepDueAt(previousAt: Date, waitMinutes: number): Date {
  return new Date(previousAt.getTime() + waitMinutes * 60_000);
}

/** The next send time for an enrolment: due time pushed into the sending window (and not before the start date). */
export function plannedSendAt(opts: { dueAt: Date; window: SendWindow; tz: string; startAt?: Date | null }): Date | null {
  const from = opts.startAt && opts.startAt > opts.dueAt ? opts.startAt : opts.dueAt;
  return nextWindowOpening(opts.window, opts.tz, from);
}

export interface PaceLimits {
  /** min(warmup limit, mailbox daily limit, pool limit), decided by the caller. */
  dailyLimit: number;
  minGapSeconds: number;
  /** The mailbox's zone: "today" rolls over at its local midnight. */
  tz: string;
}

export interface PaceState {
  dayKey: string;
  sentToday: number;
  lastSentAt: number | null;
}

export type PaceDecision =
  | { ok: true; at: number; state: PaceState }
  | { ok: false; reason: "daily_limit"; retryAt: number }
  | { ok: false; reason: "min_gap"; retryAt: number };

/**
 * Reserves a send slot for a mailbox at `now`: under today's cap and at least minGap after the
 * previous send. On refusal, says when to ask again (the gap's end, or the next local midnight).
 */
export function reserveSlot(limits: PaceLimits, state: PaceState | null, now: number): PaceDecision {
  const today = localDayKey(new Date(now), limits.tz);
  const s: PaceState = state && state.dayKey === today ? state : { dayKey: today, sentToday: 0, lastSentAt: state?.lastSentAt ?? null };
  if (s.sentToday >= limits.dailyLimit) {
    const l = localTime(new Date(now), limits.tz);
    const d = addDays(l.year, l.month, l.day, 1);
    return { ok: false, reason: "daily_limit", retryAt: zonedInstant(d.year, d.month, d.day, 0, limits.tz).getTime() };
  }
  if (s.lastSentAt !== null && now - s.lastSentAt < limits.minGapSeconds * 1000) {
    return { ok: false, reason: "min_gap", retryAt: s.lastSentAt + limits.minGapSeconds * 1000 };
  }
  return { ok: true, at: now, state: { dayKey: today, sentToday: s.sentToday + 1, lastSentAt: now } };
}

export interface RotationCandidate {
  id: string;
  domain: string;
  sentToday: number;
  dailyLimit: number;
  /** False while the mailbox's min gap has not passed (or it is paused). */
  ready: boolean;
}

/**
 * Inbox rotation: the ready mailbox with the fewest sends today that still has room, avoiding the
 * domain used for the previous send when another domain is available. Ties break by id so the
 * choice is deterministic.
 */
export function pickMailbox(candidates: RotationCandidate[], lastDomain: string | null): RotationCandidate | null {
  const open = candidates.filter((c) => c.ready && c.sentToday < c.dailyLimit);
  if (!open.length) return null;
  const otherDomain = open.filter((c) => c.domain !== lastDomain);
  const pool = otherDomain.length ? otherDomain : open;
  return [...pool].sort((a, b) => a.sentToday - b.sentToday || (a.id < b.id ? -1 : 1))[0]!;
}

/** A/B: variant index for an enrolment, an even split that is stable for a given key. */
export function pickVariant(key: string, variants: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % Math.max(1, variants);
}

export const MINUTES_PER_DAY = 24 * 60;
