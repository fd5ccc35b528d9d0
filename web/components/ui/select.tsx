import type * as React from "react";
import { FieldShell } from "~/components/ui/field";
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
  return (
    <FieldShell label={label} hint={hint} error={error} className={className} id={id}>
      {({ id, describedBy }) => (
        <Select id={id} options={options} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...props} />
      )}
    </FieldShell>
  );
}
