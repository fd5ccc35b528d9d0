import { useSyncExternalStore } from "react";

const noop = () => () => {};
/** false while rendering on the server and hydrating, true after: dates render in UTC first, then local time. */
function useIsClient() {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

type Part = "both" | "date" | "time" | "seconds";
const STYLES: Record<Part, Intl.DateTimeFormatOptions> = {
  both: { dateStyle: "medium", timeStyle: "short" },
  date: { dateStyle: "medium" },
  time: { timeStyle: "short" },
  seconds: { timeStyle: "medium" },
};

function format(d: Date, client: boolean, part: Part) {
  if (!client) return `${d.toLocaleString("en-US", { ...STYLES[part], timeZone: "UTC" })}${part === "date" ? "" : " UTC"}`;
  return d.toLocaleString(undefined, STYLES[part]);
}

/** An absolute timestamp in the viewer's time zone (UTC until hydrated, so server and client HTML agree). */
export function DateTime({
  value,
  withTime = true,
  stacked = false,
  className,
}: {
  value: string;
  withTime?: boolean;
  /** Date on one line, time on the next (for narrow table columns). */
  stacked?: boolean;
  className?: string;
}) {
  const client = useIsClient();
  const d = new Date(value);
  if (stacked) {
    return (
      <time dateTime={value} className={className} title={format(d, client, "both")}>
        <span className="block whitespace-nowrap">{format(d, client, "date")}</span>
        <span className="block whitespace-nowrap text-xs text-slate-500">{format(d, client, "time")}</span>
      </time>
    );
  }
  return (
    <time dateTime={value} className={className}>
      {format(d, client, withTime ? "both" : "date")}
    </time>
  );
}

/** A time of day with seconds ("11:23:05 PM"), the full date as a tooltip: for logs and step timings. */
export function ClockTime({ value, className }: { value: string; className?: string }) {
  const client = useIsClient();
  const d = new Date(value);
  return (
    <time dateTime={value} title={format(d, client, "both")} className={className}>
      {format(d, client, "seconds")}
    </time>
  );
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["week", 7 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

export function relative(value: string, now = Date.now()): string {
  const secs = (new Date(value).getTime() - now) / 1000;
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(secs) >= size) return rtf.format(Math.round(secs / size), unit);
  }
  return "just now";
}

/** "5 minutes ago", with the exact time as a tooltip; an absolute date until hydrated. */
export function RelativeTime({ value, className }: { value: string; className?: string }) {
  const client = useIsClient();
  const d = new Date(value);
  return (
    <time dateTime={value} title={format(d, client, "both")} className={className}>
      {client ? relative(value) : format(d, false, "date")}
    </time>
  );
}
