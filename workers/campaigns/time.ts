/**
 * Wall-clock arithmetic in IANA time zones with nothing but Intl (the same tz database workerd and
 * Node ship), so DST gaps and overlaps and half-hour offsets come out right.
 */
export interface LocalTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  weekday: number; // ISO: 1 = Monday … 7 = Sunday
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(tz: string) {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    fmtCache.set(tz, f);
  }
  return f;
}
const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localTime(at: Date, tz: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of fmt(tz).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAY[parts.weekday!]!,
  };
}

/** Offset of tz from UTC at instant `at`, in minutes (e.g. +330 for Asia/Kolkata). */
export function offsetMinutes(at: Date, tz: string): number {
  const l = localTime(at, tz);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The instant when the clock in tz shows the given local date and time. In a DST gap (a time that
 * never happens, e.g. 02:30 on a spring-forward night) it returns the first instant after the gap;
 * in an overlap (a time that happens twice) the earlier one.
 */
export function zonedInstant(year: number, month: number, day: number, minuteOfDay: number, tz: string): Date {
  const naive = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  // The two offsets in force around that wall time (equal except near a DST change).
  const offsets = [...new Set([offsetMinutes(new Date(naive - 12 * 3600_000), tz), offsetMinutes(new Date(naive + 12 * 3600_000), tz)])];
  const matches = offsets
    .map((o) => naive - o * 60_000)
    .filter((t) => {
      const l = localTime(new Date(t), tz);
      return l.year === year && l.month === month && l.day === day && l.hour * 60 + l.minute === minuteOfDay;
    })
    .sort((a, b) => a - b);
  if (matches.length) return new Date(matches[0]!);
  // A DST gap: the wall time never happens. Walk forward from the earliest candidate to the first
  // instant whose local time is past it (the moment the clocks jumped).
  let t = Math.min(...offsets.map((o) => naive - o * 60_000));
  for (let i = 0; i < 24 * 60; i++) {
    const l = localTime(new Date(t), tz);
    const sameDay = l.year === year && l.month === month && l.day === day;
    if (!sameDay || l.hour * 60 + l.minute >= minuteOfDay) return new Date(t);
    t += 60_000;
  }
  return new Date(t);
}

/** The local calendar date shifted by n days (pure date arithmetic, no zones). */
export function addDays(y: number, m: number, d: number, n: number): { year: number; month: number; day: number } {
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** `YYYY-MM-DD` of the local day in tz: the key for per-day counters (a mailbox's "today"). */
export function localDayKey(at: Date, tz: string): string {
  const l = localTime(at, tz);
  return `${l.year}-${String(l.month).padStart(2, "0")}-${String(l.day).padStart(2, "0")}`;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    fmt(tz);
    return true;
  } catch {
    return false;
  }
}
