import { useRef, useState } from "react";
import { flushSync } from "react-dom";
import { Link } from "react-router";
import { type Insertion, VariablePicker } from "~/components/templates/variable-picker";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { CodeArea, CodeInput } from "~/components/ui/code-field";
import { SelectField } from "~/components/ui/select";
import { cn } from "~/lib/cn";
import type { VariantState } from "./model";

export interface TemplateOption {
  id: string;
  name: string;
  folder: string | null;
  subject: string;
  text: string;
  html: string | null;
}

type Part = "subject" | "text" | "html";
const PART_NAME: Record<Part, string> = { subject: "Subject", text: "Plain-text body", html: "HTML body" };

/** Element ids of a variant's inputs, so the preview's issue list can jump into them. */
export const variantFieldId = (variantKey: string, part: Part) => `${variantKey}-${part}`;

/**
 * One A/B variant: start from a template (copies it in, with undo), subject, plain-text body and an
 * optional HTML body, and the same "Insert variable" menu as the template editor.
 */
export function VariantEditor({
  variant,
  label,
  templates,
  customFields,
  error,
  onChange,
  onFocus,
  disabled,
}: {
  variant: VariantState;
  label: string;
  templates: readonly TemplateOption[];
  customFields: readonly { key: string; label: string }[];
  error: (part: Part) => string | undefined;
  onChange: (patch: Partial<VariantState>) => void;
  onFocus: () => void;
  disabled?: boolean;
}) {
  const [target, setTarget] = useState<Part>("text");
  const [htmlOpen, setHtmlOpen] = useState(variant.html !== "");
  const [undo, setUndo] = useState<{ before: VariantState; name: string } | null>(null);
  const refs = {
    subject: useRef<HTMLInputElement>(null),
    text: useRef<HTMLTextAreaElement>(null),
    html: useRef<HTMLTextAreaElement>(null),
  };
  const insertTarget: Part = target === "html" && !htmlOpen ? "text" : target;

  const insert = ({ token, select }: Insertion) => {
    const part = insertTarget;
    const el = refs[part].current;
    const current = variant[part];
    const start = el?.selectionStart ?? current.length;
    const end = el?.selectionEnd ?? start;
    flushSync(() => onChange({ [part]: current.slice(0, start) + token + current.slice(end) }));
    if (!el) return;
    el.focus();
    el.setSelectionRange(start + select[0], start + select[1]);
  };

  const applyTemplate = (id: string) => {
    const t = templates.find((x) => x.id === id);
    if (!t) {
      onChange({ templateId: null });
      return;
    }
    setUndo({ before: variant, name: t.name });
    onChange({ templateId: t.id, subject: t.subject, text: t.text, html: t.html ?? "" });
    if (t.html) setHtmlOpen(true);
  };

  const focusPart = (part: Part) => () => {
    setTarget(part);
    onFocus();
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1.5">
        <div className="flex flex-wrap items-end gap-3">
          <SelectField
            label="Start from a template"
            className="min-w-60 flex-1"
            options={[
              { value: "", label: templates.length ? "— Write it here —" : "No templates in this workspace yet" },
              ...templates.map((t) => ({ value: t.id, label: t.folder ? `${t.folder} / ${t.name}` : t.name })),
            ]}
            value={variant.templateId && templates.some((t) => t.id === variant.templateId) ? variant.templateId : ""}
            onChange={(e) => applyTemplate(e.target.value)}
            onFocus={onFocus}
            disabled={disabled || !templates.length}
            aria-describedby={`${variant.key}-template-hint`}
          />
          <VariablePicker
            customFields={customFields}
            targetLabel={`${PART_NAME[insertTarget]} of variant ${label}`}
            onInsert={insert}
            disabled={disabled}
          />
        </div>
        <p id={`${variant.key}-template-hint`} className="text-xs text-slate-500">
          {templates.length ? (
            "Copies the template's subject and body into this variant; later edits to the template do not change it."
          ) : (
            <>
              Reusable e-mails live on the{" "}
              <Link to="/templates" className="font-medium text-brand-700 underline">
                Templates
              </Link>{" "}
              page.
            </>
          )}
        </p>
      </div>
      {undo ? (
        <p role="status" className="flex flex-wrap items-center gap-2 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700">
          Copied “{undo.name}” into variant {label}.
          <button
            type="button"
            className="font-medium underline"
            onClick={() => {
              onChange(undo.before);
              setUndo(null);
            }}
          >
            Undo
          </button>
        </p>
      ) : null}
      <CodeInput
        ref={refs.subject}
        id={`${variant.key}-subject`}
        label="Subject"
        maxLength={500}
        placeholder="{Quick|Short} question about {{company}}"
        value={variant.subject}
        onChange={(e) => {
          setUndo(null);
          onChange({ subject: e.target.value });
        }}
        onFocus={focusPart("subject")}
        error={error("subject")}
        disabled={disabled}
        hint="Every step needs a subject. Spintax and variables work here too."
      />
      <CodeArea
        ref={refs.text}
        id={`${variant.key}-text`}
        label="Plain-text body"
        rows={10}
        value={variant.text}
        onChange={(e) => {
          setUndo(null);
          onChange({ text: e.target.value });
        }}
        onFocus={focusPart("text")}
        error={error("text")}
        disabled={disabled}
        placeholder={'{Hi|Hello} {{first_name | default: "there"}},\n\n…'}
        hint="Line breaks are kept. Your postal address and an unsubscribe link are added to every message."
      />
      <div className="rounded-md border border-slate-200">
        <div className="flex items-center justify-between gap-3 px-3 py-2">
          <button
            type="button"
            aria-expanded={htmlOpen}
            aria-controls={`${variant.key}-html-section`}
            onClick={() => setHtmlOpen((o) => !o)}
            className="flex items-center gap-2 rounded text-sm font-medium text-slate-800"
          >
            <svg
              aria-hidden="true"
              viewBox="0 0 20 20"
              className={cn("size-4 text-slate-500 transition-transform", htmlOpen && "rotate-90")}
              fill="none"
              stroke="currentColor"
              strokeWidth="1.5"
            >
              <path d="m7.5 5 5 5-5 5" />
            </svg>
            HTML version{" "}
            {variant.html.trim() ? <Badge tone="brand">included</Badge> : <span className="font-normal text-slate-500">(optional)</span>}
          </button>
          {variant.html.trim() && !disabled ? (
            <Button
              type="button"
              variant="ghost"
              size="sm"
              className="text-red-700 hover:bg-red-50"
              onClick={() => {
                onChange({ html: "" });
                setHtmlOpen(false);
                setTarget("text");
              }}
            >
              Remove HTML
            </Button>
          ) : null}
        </div>
        <div id={`${variant.key}-html-section`} hidden={!htmlOpen} className="border-t border-slate-200 px-3 py-3">
          <CodeArea
            ref={refs.html}
            id={`${variant.key}-html`}
            label="HTML body"
            rows={8}
            value={variant.html}
            onChange={(e) => onChange({ html: e.target.value })}
            onFocus={focusPart("html")}
            error={error("html")}
            disabled={disabled}
            placeholder={'<p>{Hi|Hello} {{first_name | default: "there"}},</p>'}
            hint="Sent as the HTML alternative. Keep it simple: no scripts, forms or hidden text."
          />
        </div>
      </div>
    </div>
  );
}
