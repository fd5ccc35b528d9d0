import { Dialog as D } from "radix-ui";
import type * as React from "react";
import { useState } from "react";
import { type ActionResult, useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { cn } from "~/lib/cn";

export interface DialogProps {
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** The element that opens the dialog (usually a <Button>); focus returns to it on close. */
  trigger?: React.ReactElement;
  title: string;
  description?: React.ReactNode;
  children?: React.ReactNode;
  className?: string;
  /** Where focus goes on close when there is no trigger (e.g. the menu button that opened it). */
  returnFocusTo?: React.RefObject<HTMLElement | null>;
}

/** A modal dialog: titled, focus-trapped, closes on Escape; the title and description are announced. */
export function Dialog({ open, onOpenChange, trigger, title, description, children, className, returnFocusTo }: DialogProps) {
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      {trigger ? <D.Trigger asChild>{trigger}</D.Trigger> : null}
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <D.Content
          className={cn(
            "fixed left-1/2 top-1/2 z-50 max-h-[calc(100vh-2rem)] w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 overflow-y-auto",
            "rounded-lg border border-slate-200 bg-white p-6 shadow-xl focus:outline-none",
            className,
          )}
          {...(description ? {} : { "aria-describedby": undefined })}
          onCloseAutoFocus={
            returnFocusTo
              ? (e) => {
                  e.preventDefault();
                  returnFocusTo.current?.focus();
                }
              : undefined
          }
        >
          <div className="flex items-start justify-between gap-4">
            <D.Title className="text-lg font-semibold text-slate-900">{title}</D.Title>
            <D.Close className="-m-1 rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-700" aria-label="Close">
              <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.5">
                <path d="M5 5l10 10M15 5 5 15" />
              </svg>
            </D.Close>
          </div>
          {description ? <D.Description className="mt-1.5 text-sm text-slate-600">{description}</D.Description> : null}
          <div className="mt-4">{children}</div>
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

export interface ConfirmDialogProps {
  /** Either a trigger element, or `open`/`onOpenChange` to control it from elsewhere (a row menu). */
  trigger?: React.ReactElement;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  returnFocusTo?: React.RefObject<HTMLElement | null>;
  title: string;
  description?: React.ReactNode;
  /** Posted as the hidden `intent` field; the route action dispatches on it. */
  intent: string;
  /** Extra hidden fields (e.g. the id of the row). */
  fields?: Record<string, string>;
  confirmLabel: string;
  tone?: "danger" | "primary";
  /** A typed confirmation: the confirm button stays disabled until the input equals `expected`. */
  typeToConfirm?: { name: string; label: string; expected: string };
  /** Extra inputs (e.g. a password), rendered above the buttons; receive the field-error lookup. */
  children?: (fieldError: (name: string) => string | undefined) => React.ReactNode;
  onSuccess?: (data: ActionResult) => void;
}

/**
 * A confirmation dialog that posts to the current route's action. Errors from the action (an
 * AppError's message or field errors) show inside the dialog; it closes itself on success.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const [ownOpen, setOwnOpen] = useState(false);
  const open = props.open ?? ownOpen;
  const setOpen = props.onOpenChange ?? setOwnOpen;
  // The content unmounts on close, so each opening starts with a fresh form and fetcher.
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      trigger={props.trigger}
      title={props.title}
      description={props.description}
      returnFocusTo={props.returnFocusTo}
    >
      <ConfirmForm {...props} close={() => setOpen(false)} />
    </Dialog>
  );
}

function ConfirmForm({
  intent,
  fields,
  confirmLabel,
  tone = "danger",
  typeToConfirm,
  children,
  onSuccess,
  close,
}: ConfirmDialogProps & { close: () => void }) {
  const f = useActionForm({
    onSuccess: (d) => {
      close();
      onSuccess?.(d);
    },
  });
  const [typed, setTyped] = useState("");
  const blocked = typeToConfirm ? typed !== typeToConfirm.expected : false;
  return (
    <f.Form method="post" ref={f.formRef} className="flex flex-col gap-4" noValidate>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
      {typeToConfirm ? (
        <Field
          label={typeToConfirm.label}
          name={typeToConfirm.name}
          autoComplete="off"
          spellCheck={false}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          error={f.fieldError(typeToConfirm.name)}
        />
      ) : null}
      {children?.(f.fieldError)}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={close}>
          Cancel
        </Button>
        <Button type="submit" variant={tone} busy={f.busy} disabled={blocked}>
          {confirmLabel}
        </Button>
      </div>
    </f.Form>
  );
}
