/** Words and numbers for campaigns, shared by the list, the wizard and the campaign page. */

export type CampaignStatus = "draft" | "scheduled" | "sending" | "paused" | "completed";
export type Condition = "always" | "not_replied" | "not_opened" | "not_clicked";

export const CONDITION_OPTIONS: readonly { value: Condition; label: string }[] = [
  { value: "not_replied", label: "Only if they have not replied" },
  { value: "not_opened", label: "Only if they have not opened an e-mail" },
  { value: "not_clicked", label: "Only if they have not clicked a link" },
  { value: "always", label: "Always (even after a reply)" },
];
export const conditionLabel = (c: string) => CONDITION_OPTIONS.find((o) => o.value === c)?.label ?? c;

export const DAYS = [
  { iso: 1, short: "Mon", long: "Monday" },
  { iso: 2, short: "Tue", long: "Tuesday" },
  { iso: 3, short: "Wed", long: "Wednesday" },
  { iso: 4, short: "Thu", long: "Thursday" },
  { iso: 5, short: "Fri", long: "Friday" },
  { iso: 6, short: "Sat", long: "Saturday" },
  { iso: 7, short: "Sun", long: "Sunday" },
] as const;

/** [1,2,3,4,5] → "Mon–Fri"; [1,3,5] → "Mon, Wed, Fri". */
export function formatDays(days: readonly number[]): string {
  const d = [...new Set(days)].sort((a, b) => a - b);
  if (d.length === 7) return "Every day";
  if (!d.length) return "No days";
  const runs: number[][] = [];
  for (const x of d) {
    const last = runs.at(-1);
    if (last && last.at(-1) === x - 1) last.push(x);
    else runs.push([x]);
  }
  const name = (i: number) => DAYS[i - 1]!.short;
  return runs.map((r) => (r.length >= 3 ? `${name(r[0]!)}–${name(r.at(-1)!)}` : r.map(name).join(", "))).join(", ");
}

/** "09:00–17:00", or "all day" for a window from midnight to midnight. */
export function formatWindow(start: number, end: number): string {
  if (start === 0 && (end === 0 || end === 1440)) return "all day";
  return `${minuteToTime(start)}–${minuteToTime(end % 1440)}`;
}

/** 540 → "09:00"; 1440 → "24:00". */
export const minuteToTime = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** "09:30" → 570; anything unreadable → null. */
export function timeToMinute(t: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(t.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 24 && min < 60 && h * 60 + min <= 1440 ? h * 60 + min : null;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** "3 days after step 1", or "Right after step 1" without a wait. */
export const waitPhrase = (minutes: number, previous: number) =>
  minutes <= 0 ? `Right after step ${previous}` : `${formatWait(minutes)} after step ${previous}`;

/** 4320 → "3 days"; 1500 → "1 day 1 hour"; 30 → "30 minutes". */
export function formatWait(minutes: number): string {
  if (minutes <= 0) return "right away";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [days ? plural(days, "day") : "", hours ? plural(hours, "hour") : "", mins ? plural(mins, "minute") : ""];
  return parts.filter(Boolean).join(" ");
}

/** Share of enrolled leads that are done with the sequence (finished, replied, stopped…). */
export function progressOf(stats: { enrolled: number; active: number }) {
  if (!stats.enrolled) return 0;
  return ((stats.enrolled - stats.active) / stats.enrolled) * 100;
}
