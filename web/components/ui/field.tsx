import { Label } from "radix-ui";
import type * as React from "react";
import { useId } from "react";
import { cn } from "~/lib/cn";

export function Input({ className, ...props }: React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <input
      className={cn(
        "h-10 w-full rounded-md border border-slate-300 bg-white px-3 text-sm shadow-xs placeholder:text-slate-400",
        "focus-visible:border-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500/40 aria-invalid:border-red-500",
        className,
      )}
      {...props}
    />
  );
}

export interface FieldProps extends React.InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string;
  hint?: string;
}

export type Described = { label: string; hint?: string; error?: string; className?: string; id?: string };

/**
 * Label + control + hint + error, wired with ids so screen readers announce the hint and error with
 * the field. Every labelled control (Field, SelectField, TextareaField, CodeInput/CodeArea) renders
 * through this one shell; the control gets its id and aria-describedby from `children`.
 */
export function FieldShell({
  label,
  hint,
  error,
  className,
  id: given,
  children,
}: Described & { children: (ids: { id: string; describedBy?: string }) => React.ReactNode }) {
  const auto = useId();
  const id = given ?? auto;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <Label.Root htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </Label.Root>
      {children({ id, describedBy: [hintId, errorId].filter(Boolean).join(" ") || undefined })}
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

/** Label + input + hint + error. */
export function Field({ label, error, hint, id, className, ...props }: FieldProps) {
  return (
    <FieldShell label={label} hint={hint} error={error} className={className} id={id}>
      {({ id, describedBy }) => <Input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...props} />}
    </FieldShell>
  );
}
