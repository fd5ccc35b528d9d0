import { cn } from "~/lib/cn";
import { type StepKey, WIZARD_STEPS } from "./model";

/**
 * The wizard's progress: one button per step (each jump saves first). The current one carries
 * aria-current="step"; steps with problems get a marker that is also spelled out for screen readers.
 */
export function Stepper({
  current,
  onGo,
  withErrors,
  disabled,
}: {
  current: StepKey;
  onGo: (step: StepKey) => void;
  withErrors: ReadonlySet<StepKey>;
  disabled?: boolean;
}) {
  const at = WIZARD_STEPS.findIndex((s) => s.key === current);
  return (
    <nav aria-label="Campaign setup">
      <ol className="flex flex-wrap gap-x-1 gap-y-2 rounded-lg border border-slate-200 bg-white p-1.5 shadow-xs">
        {WIZARD_STEPS.map((s, i) => {
          const active = s.key === current;
          const bad = withErrors.has(s.key);
          return (
            <li key={s.key} className="flex-1">
              <button
                type="button"
                onClick={() => onGo(s.key)}
                disabled={disabled && !active}
                aria-current={active ? "step" : undefined}
                className={cn(
                  "flex w-full items-center gap-2 whitespace-nowrap rounded-md px-3 py-2 text-left text-sm font-medium transition-colors",
                  active
                    ? "bg-brand-50 text-brand-700"
                    : "text-slate-600 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-60",
                )}
              >
                <span
                  aria-hidden="true"
                  className={cn(
                    "flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold",
                    bad
                      ? "bg-red-100 text-red-700"
                      : active
                        ? "bg-brand-600 text-white"
                        : i < at
                          ? "bg-brand-100 text-brand-700"
                          : "bg-slate-100 text-slate-600",
                  )}
                >
                  {bad ? "!" : i + 1}
                </span>
                {s.label}
                {bad ? <span className="sr-only"> (needs fixing)</span> : null}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
