import type * as React from "react";
import { useId } from "react";
import { cn } from "~/lib/cn";

/** A bare checkbox with its label (and optional description) side by side, for lists of options such as scopes. */
export function Checkbox({
  label,
  description,
  id,
  className,
  ...props
}: Omit<React.InputHTMLAttributes<HTMLInputElement>, "type"> & { label: React.ReactNode; description?: React.ReactNode }) {
  const auto = useId();
  const inputId = id ?? auto;
  const descId = description ? `${inputId}-desc` : undefined;
  return (
    <div className={cn("flex items-start gap-2.5", className)}>
      <input
        id={inputId}
        type="checkbox"
        className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-brand-600"
        aria-describedby={descId}
        {...props}
      />
      <div className="text-sm leading-tight">
        <label htmlFor={inputId} className="font-medium text-slate-800">
          {label}
        </label>
        {description ? (
          <p id={descId} className="mt-0.5 text-xs text-slate-500">
            {description}
          </p>
        ) : null}
      </div>
    </div>
  );
}
