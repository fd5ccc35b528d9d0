import type * as React from "react";
import { useId } from "react";
import { cn } from "~/lib/cn";

export interface CheckboxFieldProps extends Omit<React.InputHTMLAttributes<HTMLInputElement>, "type"> {
  label: React.ReactNode;
  error?: string;
}

/** A native checkbox with its label beside it and an error wired through aria-describedby. */
export function CheckboxField({ label, error, id, className, ...props }: CheckboxFieldProps) {
  const auto = useId();
  const inputId = id ?? auto;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <div className="flex items-start gap-2.5">
        <input
          id={inputId}
          type="checkbox"
          aria-invalid={error ? true : undefined}
          aria-describedby={errorId}
          className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-brand-600 aria-invalid:outline-2 aria-invalid:outline-red-500"
          {...props}
        />
        <label htmlFor={inputId} className="text-sm text-slate-700">
          {label}
        </label>
      </div>
      {error ? (
        <p id={errorId} className="text-xs font-medium text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
