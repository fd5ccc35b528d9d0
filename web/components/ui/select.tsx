import { Label } from "radix-ui";
import type * as React from "react";
import { useId } from "react";
import { cn } from "~/lib/cn";

export interface SelectOption {
  value: string;
  label: string;
}

/**
 * A styled native <select>: it posts with the form, works without JavaScript and gets the
 * platform's keyboard and screen-reader behaviour for free.
 */
export function Select({
  options,
  className,
  ...props
}: React.SelectHTMLAttributes<HTMLSelectElement> & { options: readonly SelectOption[] }) {
  return (
    <span className={cn("relative inline-flex", className)}>
      <select
        className={cn(
          "h-10 w-full appearance-none rounded-md border border-slate-300 bg-white pl-3 pr-8 text-sm shadow-xs",
          "focus-visible:border-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500/40 aria-invalid:border-red-500",
          "disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500",
        )}
        {...props}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <svg
        aria-hidden="true"
        viewBox="0 0 20 20"
        className="pointer-events-none absolute right-2.5 top-1/2 size-4 -translate-y-1/2 text-slate-500"
      >
        <path d="M5.5 7.5 10 12l4.5-4.5" stroke="currentColor" strokeWidth="1.5" fill="none" />
      </svg>
    </span>
  );
}

export interface SelectFieldProps extends React.SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  options: readonly SelectOption[];
  error?: string;
  hint?: string;
}

/** Label + select + hint + error, wired like <Field>. */
export function SelectField({ label, options, error, hint, id, className, ...props }: SelectFieldProps) {
  const auto = useId();
  const selectId = id ?? auto;
  const hintId = hint ? `${selectId}-hint` : undefined;
  const errorId = error ? `${selectId}-error` : undefined;
  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <Label.Root htmlFor={selectId} className="text-sm font-medium text-slate-800">
        {label}
      </Label.Root>
      <Select
        id={selectId}
        options={options}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        {...props}
      />
      {hint ? (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-xs font-medium text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
