import { Label } from "radix-ui";
import type * as React from "react";
import { useId } from "react";
import { cn } from "~/lib/cn";

type Described = { label: string; hint?: string; error?: string; className?: string; id?: string };

const CODE_CLASS = cn(
  "w-full rounded-md border border-slate-300 bg-white px-3 font-mono text-[13px] shadow-xs placeholder:text-slate-400",
  "focus-visible:border-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500/40 aria-invalid:border-red-500",
  "disabled:cursor-not-allowed disabled:bg-slate-50",
);

function Shell({
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

/** A monospace one-line input for subjects with merge fields and spintax, wired like <Field>. */
export function CodeInput({
  label,
  hint,
  error,
  className,
  id,
  ...props
}: React.InputHTMLAttributes<HTMLInputElement> & Described & { ref?: React.Ref<HTMLInputElement> }) {
  return (
    <Shell label={label} hint={hint} error={error} className={className} id={id}>
      {({ id, describedBy }) => (
        <input
          id={id}
          spellCheck
          className={cn(CODE_CLASS, "h-10")}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...props}
        />
      )}
    </Shell>
  );
}

/** A monospace textarea for message bodies, wired like <Field>. */
export function CodeArea({
  label,
  hint,
  error,
  className,
  id,
  ...props
}: React.TextareaHTMLAttributes<HTMLTextAreaElement> & Described & { ref?: React.Ref<HTMLTextAreaElement> }) {
  return (
    <Shell label={label} hint={hint} error={error} className={className} id={id}>
      {({ id, describedBy }) => (
        <textarea
          id={id}
          spellCheck
          className={cn(CODE_CLASS, "resize-y py-2.5 leading-relaxed")}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...props}
        />
      )}
    </Shell>
  );
}
