import { formatNumber } from "~/components/leads/format";
import type { StepStat } from "../../../workers/campaigns/schemas.ts";

/** One step variant's row: the read model the campaign page loads (`stepStats`, workers/campaigns/schemas.ts). */
export type VariantStat = Omit<StepStat, "stepId">;

/** Engagement shown under each bar, as a share of the variant's e-mails that went out (sent or bounced later). */
const ENGAGEMENT = [
  { key: "opened", label: "Opened", approximate: true },
  { key: "clicked", label: "Clicked", approximate: false },
  { key: "replied", label: "Replied", approximate: false },
  { key: "unsubscribed", label: "Unsubscribed", approximate: false },
] as const;

const out = (r: VariantStat) => r.sent + r.bounced;
function rate(n: number, of: number): string {
  if (!of) return "—";
  const pct = (100 * n) / of;
  return n && pct < 1 ? "<1%" : `${Math.round(pct)}%`;
}

const SERIES = [
  { key: "sent", label: "Sent", fill: "#10b981" },
  { key: "inFlight", label: "In flight", fill: "#94a3b8" },
  { key: "unknown", label: "Unknown", fill: "#f59e0b" },
  { key: "bounced", label: "Bounced", fill: "#ef4444" },
  { key: "failed", label: "Failed", fill: "#7f1d1d" },
] as const;

const total = (r: VariantStat) => SERIES.reduce((n, s) => n + r[s.key], 0);

/**
 * Outcomes per step and A/B variant as stacked horizontal bars (SVG, scaled to the busiest
 * variant), with what recipients did under each bar as a share of its sent e-mails, so variants
 * compare at a glance. Opens and clicks appear only when the campaign tracks them. The picture is
 * hidden from screen readers, which get the same numbers as a table.
 */
export function StepChart({
  rows,
  caption,
  trackOpens,
  trackClicks,
}: {
  rows: readonly VariantStat[];
  caption: string;
  trackOpens: boolean;
  trackClicks: boolean;
}) {
  const max = Math.max(1, ...rows.map(total));
  const engagement = ENGAGEMENT.filter((e) => (e.key === "opened" ? trackOpens : e.key === "clicked" ? trackClicks : true));
  const multi = new Set(rows.map((r) => r.position)).size < rows.length;
  return (
    <figure className="flex flex-col gap-4">
      <ul aria-hidden="true" className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {SERIES.map((s) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <svg viewBox="0 0 10 10" className="size-2.5">
              <rect width="10" height="10" rx="2" fill={s.fill} />
            </svg>
            {s.label}
          </li>
        ))}
      </ul>
      <div aria-hidden="true" className="grid grid-cols-[minmax(0,12rem)_minmax(0,1fr)_4rem] items-center gap-x-3 gap-y-2.5">
        {rows.map((r) => {
          let x = 0;
          return (
            <div key={r.variantId} className="contents">
              <div className="min-w-0 text-sm">
                <p className="font-medium text-slate-800">
                  Step {r.position}
                  {multi ? ` · ${r.variant}` : ""}
                </p>
                <p className="truncate text-xs text-slate-500" title={r.subject}>
                  {r.subject || "(no subject)"}
                </p>
              </div>
              <svg viewBox={`0 0 ${max} 10`} preserveAspectRatio="none" className="h-4 w-full overflow-visible rounded bg-slate-100">
                {SERIES.map((s) => {
                  const w = r[s.key];
                  const rect = w ? <rect key={s.key} x={x} y={0} width={w} height={10} fill={s.fill} /> : null;
                  x += w;
                  return rect;
                })}
              </svg>
              <p className="text-right text-sm tabular-nums text-slate-700">{formatNumber(total(r))}</p>
              <p className="col-start-2 col-end-4 -mt-1.5 flex flex-wrap gap-x-3 text-xs text-slate-600">
                {engagement.map((e) => (
                  <span key={e.key}>
                    {e.label}{" "}
                    {e.key === "opened" && !r.hasHtml ? (
                      <span className="text-slate-500">n/a</span>
                    ) : (
                      <span className="font-medium tabular-nums text-slate-800">{rate(r[e.key], out(r))}</span>
                    )}
                    {out(r) && (e.key !== "opened" || r.hasHtml) ? (
                      <span className="tabular-nums text-slate-500"> ({formatNumber(r[e.key])})</span>
                    ) : null}
                    {e.approximate && r.hasHtml ? <span className="text-slate-400">*</span> : null}
                  </span>
                ))}
              </p>
            </div>
          );
        })}
      </div>
      {trackOpens ? (
        <p aria-hidden="true" className="text-xs text-slate-500">
          * Approximate: image proxies and privacy features hide some opens and fake others.
          {rows.some((r) => !r.hasHtml) ? " n/a: a plain-text e-mail carries no open pixel." : ""}
        </p>
      ) : null}
      <table className="sr-only">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Step and variant</th>
            {SERIES.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
            {engagement.map((e) => (
              <th key={e.key} scope="col">
                {e.label}
                {e.approximate ? " (approximate)" : ""}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.variantId}>
              <th scope="row">
                Step {r.position}, variant {r.variant}: {r.subject}
              </th>
              {SERIES.map((s) => (
                <td key={s.key}>{r[s.key]}</td>
              ))}
              {engagement.map((e) => (
                <td key={e.key}>
                  {e.key === "opened" && !r.hasHtml
                    ? "not tracked: plain-text e-mail"
                    : out(r)
                      ? `${r[e.key]} (${rate(r[e.key], out(r))} of the e-mails sent)`
                      : "no e-mails sent yet"}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
