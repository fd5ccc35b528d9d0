import type * as React from "react";
import { type Described, FieldShell } from "~/components/ui/field";
import { cn } from "~/lib/cn";

const CODE_CLASS = cn(
  "w-full rounded-md border border-slate-300 bg-white px-3 font-mono text-[13px] shadow-xs placeholder:text-slate-400",
  "focus-visible:border-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500/40 aria-invalid:border-red-500",
  "disabled:cursor-not-allowed disabled:bg-slate-50",
);

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
    <FieldShell label={label} hint={hint} error={error} className={className} id={id}>
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
    </FieldShell>
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
    <FieldShell label={label} hint={hint} error={error} className={className} id={id}>
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
    </FieldShell>
  );
}
