import { DropdownMenu } from "radix-ui";
import { useRef, useState } from "react";
import { cn } from "~/lib/cn";
import { CUSTOM_PREFIX, type LEAD_FIELDS, type SENDER_FIELDS } from "../../../workers/templates/merge-fields.ts";

/** What the editor inserts, and which part of it to select afterwards (the fallback, to type over). */
export interface Insertion {
  token: string;
  select: [from: number, to: number];
}

const LEAD_LABELS: Record<keyof typeof LEAD_FIELDS, string> = {
  first_name: "First name",
  last_name: "Last name",
  email: "E-mail",
  company: "Company",
  title: "Job title",
  phone: "Phone",
  website: "Website",
  city: "City",
  country: "Country",
};

const SENDER_LABELS: Record<keyof typeof SENDER_FIELDS, string> = {
  "sender.first_name": "Your first name",
  "sender.last_name": "Your last name",
  "sender.email": "Your e-mail",
  "sender.signature": "Your signature",
};

/** Fallbacks that read naturally in a cold e-mail; the rest start empty with the cursor between the quotes. */
const FALLBACKS: Record<string, string> = {
  first_name: "there",
  company: "your team",
  title: "your role",
  city: "your area",
  country: "your country",
  website: "your website",
};

export function insertionFor(name: string, withFallback: boolean): Insertion {
  if (!withFallback) {
    const token = `{{${name}}}`;
    return { token, select: [token.length, token.length] };
  }
  const fallback = FALLBACKS[name] ?? "";
  const head = `{{${name} | default: "`;
  return { token: `${head}${fallback}"}}`, select: [head.length, head.length + fallback.length] };
}

const itemClass =
  "flex cursor-default items-center justify-between gap-4 rounded-md px-2.5 py-1.5 text-sm text-slate-800 outline-none data-[highlighted]:bg-slate-100";
const labelClass = "px-2.5 pt-2 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-500";

/**
 * "Insert variable" menu: lead, custom and sender fields, optionally with a fallback. The editor
 * remembers the last-focused field and cursor; `onInsert` runs after the menu has closed, so focus
 * goes back to that field (not to this button) with the caret after the insertion.
 */
export function VariablePicker({
  customFields,
  targetLabel,
  onInsert,
  disabled,
}: {
  customFields: readonly { key: string; label: string }[];
  targetLabel: string;
  onInsert: (insertion: Insertion) => void;
  disabled?: boolean;
}) {
  const [withFallback, setWithFallback] = useState(false);
  const pending = useRef<Insertion | null>(null);

  const item = (name: string, label: string) => (
    <DropdownMenu.Item
      key={name}
      className={itemClass}
      onSelect={() => {
        pending.current = insertionFor(name, withFallback);
      }}
    >
      <span>{label}</span>
      <code className="font-mono text-xs text-slate-500">{`{{${name}}}`}</code>
    </DropdownMenu.Item>
  );

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        disabled={disabled}
        className={cn(
          "inline-flex h-8 shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-900 hover:bg-slate-50",
          "disabled:cursor-not-allowed disabled:opacity-60 data-[state=open]:bg-slate-100",
        )}
        aria-label={`Insert variable into the ${targetLabel.toLowerCase()}`}
      >
        <span aria-hidden="true" className="font-mono text-xs text-brand-700">
          {"{{ }}"}
        </span>
        Insert variable
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4 text-slate-500">
          <path d="M5.5 7.5 10 12l4.5-4.5" stroke="currentColor" strokeWidth="1.5" fill="none" />
        </svg>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={4}
          collisionPadding={8}
          className="z-50 max-h-[min(28rem,var(--radix-dropdown-menu-content-available-height))] min-w-72 overflow-y-auto rounded-lg border border-slate-200 bg-white p-1 shadow-lg"
          onCloseAutoFocus={(e) => {
            const insertion = pending.current;
            if (!insertion) return;
            pending.current = null;
            e.preventDefault();
            onInsert(insertion);
          }}
        >
          <DropdownMenu.CheckboxItem
            className={cn(itemClass, "justify-start gap-2.5")}
            checked={withFallback}
            onCheckedChange={setWithFallback}
            // Keep the menu open: the toggle applies to the field picked next.
            onSelect={(e) => e.preventDefault()}
          >
            <span
              aria-hidden="true"
              className={cn(
                "flex size-4 items-center justify-center rounded border text-[10px] leading-none",
                withFallback ? "border-brand-600 bg-brand-600 text-white" : "border-slate-300",
              )}
            >
              {withFallback ? "✓" : ""}
            </span>
            <span>
              With fallback
              <span className="block text-xs text-slate-500">{'{{first_name | default: "there"}}'}</span>
            </span>
          </DropdownMenu.CheckboxItem>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
          <DropdownMenu.Group>
            <DropdownMenu.Label className={labelClass}>Lead</DropdownMenu.Label>
            {Object.entries(LEAD_LABELS).map(([name, label]) => item(name, label))}
          </DropdownMenu.Group>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
          <DropdownMenu.Group>
            <DropdownMenu.Label className={labelClass}>Custom fields</DropdownMenu.Label>
            {customFields.length === 0 ? (
              <p className="px-2.5 pb-1.5 text-xs text-slate-500">None yet. Custom columns you import with leads appear here.</p>
            ) : (
              customFields.map((f) => item(`${CUSTOM_PREFIX}${f.key}`, f.label))
            )}
          </DropdownMenu.Group>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
          <DropdownMenu.Group>
            <DropdownMenu.Label className={labelClass}>Sender (the sending mailbox)</DropdownMenu.Label>
            {Object.entries(SENDER_LABELS).map(([name, label]) => item(name, label))}
          </DropdownMenu.Group>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
