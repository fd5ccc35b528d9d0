import { localDayKey, zonedInstant } from "../../../../workers/campaigns/time.ts";
import { type Condition, minuteToTime, timeToMinute } from "../format";

/**
 * The wizard's state: everything typed, as text where inputs hold text, so nothing is lost between
 * steps or on a refused save. `toPayload` turns it into the verbs' UpdateCampaignInput shape.
 */
export const WIZARD_STEPS = [
  { key: "name", label: "Name" },
  { key: "audience", label: "Audience" },
  { key: "sequence", label: "Sequence" },
  { key: "sender", label: "Sender" },
  { key: "schedule", label: "Schedule" },
  { key: "review", label: "Review & launch" },
] as const;
export type StepKey = (typeof WIZARD_STEPS)[number]["key"];
export const isStepKey = (s: string | null | undefined): s is StepKey => WIZARD_STEPS.some((w) => w.key === s);

export const MAX_STEPS = 7;
export const MAX_VARIANTS = 5;
const DEFAULT_WAIT_DAYS = "3";

export interface VariantState {
  key: string;
  templateId: string | null;
  subject: string;
  text: string;
  html: string;
}

export interface SequenceStepState {
  key: string;
  waitDays: string;
  waitHours: string;
  condition: Condition;
  variants: VariantState[];
}

export interface ScheduleState {
  days: number[];
  start: string;
  end: string;
  timezone: string;
  fallbackTimezone: string;
  /** YYYY-MM-DD in the campaign's zone, or "" to start at launch. */
  startDate: string;
}

export interface WizardState {
  name: string;
  trackOpens: boolean;
  trackClicks: boolean;
  workspaceId: string;
  listIds: string[];
  mailboxIds: string[];
  steps: SequenceStepState[];
  schedule: ScheduleState;
}

/** What the campaign DTO carries (see workers/campaigns/schemas.ts CampaignDto). */
export interface CampaignLike {
  name: string;
  trackOpens?: boolean;
  trackClicks?: boolean;
  workspaceId: string;
  listIds: string[];
  mailboxIds: string[];
  schedule: Record<string, unknown>;
  steps: {
    id: string;
    waitMinutes: number;
    condition: string;
    variants: { id: string; templateId: string | null; subject: string; text: string; html: string | null }[];
  }[];
}

let seq = 0;
export const newKey = (prefix: string) => `${prefix}-new-${++seq}`;

export const emptyVariant = (key = newKey("v")): VariantState => ({ key, templateId: null, subject: "", text: "", html: "" });
export const emptyStep = (first: boolean, key = newKey("s")): SequenceStepState => ({
  key,
  waitDays: first ? "0" : DEFAULT_WAIT_DAYS,
  waitHours: "0",
  condition: "not_replied",
  variants: [emptyVariant(`${key}-v0`)],
});
// Keys rendered on the server (and used as element ids) must be the same when the browser hydrates.
const firstStep = () => emptyStep(true, "initial-step");

export const DEFAULT_SCHEDULE: ScheduleState = {
  days: [1, 2, 3, 4, 5],
  start: "09:00",
  end: "17:00",
  timezone: "UTC",
  fallbackTimezone: "UTC",
  startDate: "",
};

export function initialState(c: CampaignLike | null, workspaceId: string): WizardState {
  if (!c)
    return {
      name: "",
      // Opens on (approximate), clicks off: rewritten links hurt cold-mail deliverability (workers/campaigns/tables.ts).
      trackOpens: true,
      trackClicks: false,
      workspaceId,
      listIds: [],
      mailboxIds: [],
      steps: [firstStep()],
      schedule: DEFAULT_SCHEDULE,
    };
  const s = c.schedule as {
    days?: number[];
    startMinute?: number;
    endMinute?: number;
    timezone?: string;
    fallbackTimezone?: string;
    startAt?: string | null;
  };
  const timezone = s.timezone ?? "UTC";
  const fallbackTimezone = s.fallbackTimezone ?? "UTC";
  const zone = timezone === "lead" ? fallbackTimezone : timezone;
  return {
    name: c.name,
    trackOpens: c.trackOpens ?? true,
    trackClicks: c.trackClicks ?? false,
    workspaceId: c.workspaceId,
    listIds: c.listIds,
    mailboxIds: c.mailboxIds,
    steps: c.steps.length
      ? c.steps.map((st) => ({
          key: st.id,
          waitDays: String(Math.floor(st.waitMinutes / 1440)),
          waitHours: String(Math.floor((st.waitMinutes % 1440) / 60)),
          condition: st.condition as Condition,
          variants: st.variants.map((v) => ({ key: v.id, templateId: v.templateId, subject: v.subject, text: v.text, html: v.html ?? "" })),
        }))
      : [firstStep()],
    schedule: {
      days: s.days ?? DEFAULT_SCHEDULE.days,
      start: minuteToTime(s.startMinute ?? 540),
      // 24:00 cannot be typed into a time input; midnight reads back as 24:00 (see toPayload).
      end: minuteToTime((s.endMinute ?? 1020) % 1440),
      timezone,
      fallbackTimezone,
      startDate: s.startAt ? localDayKey(new Date(s.startAt), zone) : "",
    },
  };
}

const int = (s: string) => {
  const n = Number(s.trim() || "0");
  return Number.isFinite(n) ? Math.trunc(n) : Number.NaN;
};

/** The verbs' input. Unreadable numbers go through as NaN so the server's validation names the field. */
export function toPayload(w: WizardState) {
  const zone = w.schedule.timezone === "lead" ? w.schedule.fallbackTimezone : w.schedule.timezone;
  const [y, m, d] = w.schedule.startDate.split("-").map(Number);
  const startMinute = timeToMinute(w.schedule.start);
  const endMinute = timeToMinute(w.schedule.end);
  return {
    name: w.name,
    trackOpens: w.trackOpens,
    trackClicks: w.trackClicks,
    listIds: w.listIds,
    mailboxIds: w.mailboxIds,
    steps: w.steps.map((s, i) => ({
      waitMinutes: i === 0 ? 0 : int(s.waitDays) * 1440 + int(s.waitHours) * 60,
      condition: s.condition,
      variants: s.variants.map((v) => ({
        templateId: v.templateId,
        subject: v.subject,
        text: v.text,
        html: v.html.trim() ? v.html : null,
      })),
    })),
    schedule: {
      days: [...w.schedule.days].sort((a, b) => a - b),
      startMinute: startMinute ?? Number.NaN,
      // An end of 00:00 means midnight at the end of the day.
      endMinute: endMinute === 0 ? 1440 : (endMinute ?? Number.NaN),
      timezone: w.schedule.timezone,
      fallbackTimezone: w.schedule.fallbackTimezone,
      startAt: y && m && d ? zonedInstant(y, m, d, 0, zone).toISOString() : null,
    },
  };
}
export type Payload = ReturnType<typeof toPayload>;

/** Only the parts that changed since the last save (the verb leaves the rest alone), name always. */
export function changedParts(now: Payload, saved: Payload | null): Partial<Payload> {
  if (!saved) return now;
  const out: Partial<Payload> = { name: now.name };
  for (const k of ["trackOpens", "trackClicks", "listIds", "mailboxIds", "steps", "schedule"] as const) {
    if (JSON.stringify(now[k]) !== JSON.stringify(saved[k])) Object.assign(out, { [k]: now[k] });
  }
  return out;
}
