import { formatNumber } from "~/components/leads/format";
import type { DailyActivity } from "../../../workers/campaigns/queries.ts";

const SERIES = [
  { key: "sent", label: "Sent", fill: "#2563eb" },
  { key: "opened", label: "Opened", fill: "#10b981" },
  { key: "replied", label: "Replied", fill: "#f59e0b" },
  { key: "bounced", label: "Bounced", fill: "#ef4444" },
] as const;

const dayLabel = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/**
 * Grouped bars per day. The SVG is decoration for sighted users; screen readers get the same
 * numbers as a table (its caption also names the figure).
 */
export function ActivityChart({ days, caption }: { days: readonly DailyActivity[]; caption: string }) {
  const max = Math.max(1, ...days.flatMap((d) => SERIES.map((s) => d[s.key])));
  const slot = 100 / days.length;
  const bar = (slot * 0.8) / SERIES.length;
  return (
    <figure aria-label={caption} className="flex flex-col gap-3">
      <ul aria-hidden="true" className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {SERIES.map((s) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <svg viewBox="0 0 10 10" className="size-2.5">
              <rect width="10" height="10" rx="2" fill={s.fill} />
            </svg>
            {s.label} <span className="tabular-nums text-slate-500">{formatNumber(days.reduce((n, d) => n + d[s.key], 0))}</span>
          </li>
        ))}
      </ul>
      <div aria-hidden="true" className="flex gap-2">
        <div className="flex h-40 flex-col justify-between text-right text-[11px] tabular-nums text-slate-400">
          <span>{formatNumber(max)}</span>
          <span>0</span>
        </div>
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <svg viewBox="0 0 100 100" preserveAspectRatio="none" className="h-40 w-full border-b border-l border-slate-200">
            {[25, 50, 75].map((y) => (
              <line key={y} x1={0} x2={100} y1={y} y2={y} stroke="#f1f5f9" strokeWidth={0.5} vectorEffect="non-scaling-stroke" />
            ))}
            {days.map((d, i) =>
              SERIES.map((s, j) => {
                const h = (d[s.key] / max) * 100;
                return h > 0 ? (
                  <rect key={`${d.day}-${s.key}`} x={i * slot + slot * 0.1 + j * bar} y={100 - h} width={bar} height={h} fill={s.fill} />
                ) : null;
              }),
            )}
          </svg>
          <div className="flex text-[11px] text-slate-500">
            {days.map((d, i) => (
              <span key={d.day} className="flex-1 text-center">
                {/* Every other day, counting back from today so today is always labelled. */}
                {(days.length - 1 - i) % 2 ? "" : dayLabel(d.day)}
              </span>
            ))}
          </div>
        </div>
      </div>
      <table className="sr-only">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {SERIES.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <th scope="row">{dayLabel(d.day)}</th>
              {SERIES.map((s) => (
                <td key={s.key}>{d[s.key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
