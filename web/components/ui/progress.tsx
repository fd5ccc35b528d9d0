import { cn } from "~/lib/cn";

/**
 * A determinate progress bar. `label` names it for screen readers (aria-label) unless `labelledBy`
 * points at a visible label; `valueText` is what gets announced instead of the bare percentage.
 */
export function ProgressBar({
  value,
  label,
  labelledBy,
  valueText,
  tone = "brand",
  className,
}: {
  value: number;
  label?: string;
  labelledBy?: string;
  valueText?: string;
  tone?: "brand" | "success" | "danger" | "neutral";
  className?: string;
}) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-valuetext={valueText ?? `${pct}%`}
      aria-label={labelledBy ? undefined : label}
      aria-labelledby={labelledBy}
      className={cn("h-2.5 w-full overflow-hidden rounded-full bg-slate-100", className)}
    >
      <div
        className={cn(
          "h-full rounded-full transition-[width] duration-500 ease-out",
          tone === "brand" && "bg-brand-600",
          tone === "success" && "bg-emerald-500",
          tone === "danger" && "bg-red-500",
          tone === "neutral" && "bg-slate-400",
        )}
        style={{ width: `${pct}%` }}
      />
    </div>
  );
}
