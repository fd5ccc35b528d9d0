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

const UTC_FORMAT = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const UTC_DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

function format(d: Date, client: boolean, withTime: boolean) {
  if (!client) return `${(withTime ? UTC_FORMAT : UTC_DATE).format(d)}${withTime ? " UTC" : ""}`;
  return d.toLocaleString(undefined, withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" });
}

/** An absolute timestamp in the viewer's time zone (UTC until hydrated, so server and client HTML agree). */
export function DateTime({ value, withTime = true, className }: { value: string; withTime?: boolean; className?: string }) {
  const client = useIsClient();
  const d = new Date(value);
  return (
    <time dateTime={value} className={className}>
      {format(d, client, withTime)}
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
    <time dateTime={value} title={format(d, client, true)} className={className}>
      {client ? relative(value) : format(d, false, false)}
    </time>
  );
}
