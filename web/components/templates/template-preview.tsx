import { Tabs } from "radix-ui";
import { useRef } from "react";
import { Link } from "react-router";
import { Alert } from "~/components/ui/alert";
import { Spinner } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { SelectField } from "~/components/ui/select";
import { cn } from "~/lib/cn";
import { type EditorIssue, IssueList } from "./issues";

export interface PreviewResult {
  errors: EditorIssue[];
  warnings: EditorIssue[];
  rendered: { subject: string; text: string; html?: string } | null;
  lead: { id: string; email: string } | null;
  missingPostalAddress: boolean;
}

export interface PreviewLead {
  id: string;
  email: string;
  name: string;
  company: string | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The status line read out by screen readers once a preview settles (not on every keystroke). */
export function previewStatus(state: { pending: boolean; result?: PreviewResult; formError?: string }): string {
  if (state.pending) return "Updating preview…";
  if (state.formError) return "Preview failed.";
  if (!state.result) return "";
  const { errors, warnings } = state.result;
  if (errors.length)
    return `Preview blocked: ${plural(errors.length, "error")}${warnings.length ? `, ${plural(warnings.length, "warning")}` : ""}.`;
  return warnings.length ? `Preview updated, ${plural(warnings.length, "warning")}.` : "Preview updated, no problems found.";
}

/**
 * The live preview beside the editor: which lead it renders for, errors and warnings with their
 * position, and the message as it would be sent (subject, plain text, HTML in a sandboxed frame),
 * compliance footer included.
 */
export function TemplatePreview({
  result,
  pending,
  formError,
  leads,
  leadId,
  onLeadChange,
  onJump,
}: {
  result?: PreviewResult;
  pending: boolean;
  formError?: string;
  leads: readonly PreviewLead[];
  leadId: string;
  onLeadChange: (id: string) => void;
  onJump: (issue: EditorIssue) => void;
}) {
  const status = previewStatus({ pending, result, formError });
  // Keep the last settled message while a new preview is on its way, so the live region stays quiet.
  const last = useRef("");
  if (!pending) last.current = status;
  const settled = last.current;
  const leadOptions = [
    { value: "", label: leads.length ? "Newest lead in this workspace" : "Sample lead (Sam Sample, Example Co)" },
    ...leads.map((l) => ({ value: l.id, label: l.name ? `${l.name} · ${l.email}` : l.email })),
  ];
  const rendered = result?.rendered;
  return (
    <Card aria-labelledby="preview-heading" className="flex flex-col">
      <header className="flex items-start justify-between gap-4 border-b border-slate-100 px-5 py-4">
        <div>
          <h2 id="preview-heading" className="text-base font-semibold text-slate-900">
            Live preview
          </h2>
          <p className="mt-0.5 text-sm text-slate-500">Rendered for one lead, exactly as it would be sent.</p>
        </div>
        <span
          aria-hidden="true"
          className={cn(
            "inline-flex shrink-0 items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
            pending
              ? "bg-slate-50 text-slate-600 ring-slate-200"
              : formError || result?.errors.length
                ? "bg-red-50 text-red-700 ring-red-200"
                : result?.warnings.length
                  ? "bg-amber-50 text-amber-800 ring-amber-200"
                  : "bg-emerald-50 text-emerald-700 ring-emerald-200",
          )}
        >
          {pending ? <Spinner className="size-3" /> : null}
          {pending
            ? "Updating…"
            : formError
              ? "Failed"
              : !result
                ? "Loading…"
                : result.errors.length
                  ? plural(result.errors.length, "error")
                  : result.warnings.length
                    ? plural(result.warnings.length, "warning")
                    : "Up to date"}
        </span>
        {/* Announced once the preview settles, not on every keystroke. */}
        <span role="status" className="sr-only">
          {settled}
        </span>
      </header>
      <div className="flex flex-col gap-4 px-5 py-4">
        <SelectField
          label="Preview as"
          options={leadOptions}
          value={leadId}
          onChange={(e) => onLeadChange(e.target.value)}
          hint={
            leads.length
              ? "Pick one of the 20 newest leads to see their merge values and fallbacks."
              : "This workspace has no leads yet, so the preview uses a made-up lead."
          }
        />
        {result?.missingPostalAddress ? (
          <Alert tone="warning" title="No postal address yet">
            Add your postal address in{" "}
            <Link to="/settings/workspaces" className="font-medium underline">
              Settings → Workspaces
            </Link>{" "}
            before launching campaigns. The law requires it in every cold e-mail; the preview shows a placeholder.
          </Alert>
        ) : null}
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        {result && result.errors.length > 0 ? (
          <section aria-labelledby="preview-errors">
            <h3 id="preview-errors" className="mb-2 text-sm font-semibold text-red-800">
              {plural(result.errors.length, "error")}: fix before saving
            </h3>
            <IssueList issues={result.errors} tone="error" onJump={onJump} />
          </section>
        ) : null}
        {result && result.warnings.length > 0 ? (
          <section aria-labelledby="preview-warnings">
            <h3 id="preview-warnings" className="mb-2 text-sm font-semibold text-amber-900">
              {plural(result.warnings.length, "warning")}
            </h3>
            <IssueList issues={result.warnings} tone="warning" onJump={onJump} />
          </section>
        ) : null}
        {!result && !formError ? (
          <div className="flex flex-col gap-3" aria-hidden="true">
            <div className="h-4 w-2/3 animate-pulse rounded bg-slate-100" />
            <div className="h-32 animate-pulse rounded bg-slate-100" />
          </div>
        ) : null}
        {result && !rendered ? (
          <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
            {result.errors.length
              ? "Fix the errors above to see the rendered message."
              : "Write the plain-text body to see the rendered message."}
          </p>
        ) : null}
        {rendered ? (
          <div className={cn("flex flex-col gap-3 transition-opacity", pending && "opacity-60")}>
            <p className="text-xs text-slate-500">
              {result?.lead ? (
                <>
                  To <span className="font-medium text-slate-700">{result.lead.email}</span>
                </>
              ) : (
                <>To a sample lead (sample@example.com)</>
              )}
            </p>
            <dl className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
              <dt className="text-xs font-medium text-slate-500">Subject</dt>
              <dd className="break-words font-medium text-slate-900">
                {rendered.subject || <span className="font-normal italic text-slate-400">(empty subject)</span>}
              </dd>
            </dl>
            {rendered.html !== undefined ? (
              <Tabs.Root defaultValue="text" className="flex flex-col gap-2">
                <Tabs.List aria-label="Message body" className="inline-flex w-fit rounded-md bg-slate-100 p-0.5">
                  {(["text", "html"] as const).map((v) => (
                    <Tabs.Trigger
                      key={v}
                      value={v}
                      className="rounded px-3 py-1 text-sm font-medium text-slate-600 data-[state=active]:bg-white data-[state=active]:text-slate-900 data-[state=active]:shadow-xs"
                    >
                      {v === "text" ? "Plain text" : "HTML"}
                    </Tabs.Trigger>
                  ))}
                </Tabs.List>
                <Tabs.Content value="text">
                  <PlainBody text={rendered.text} />
                </Tabs.Content>
                <Tabs.Content value="html">
                  <iframe
                    title="HTML body preview"
                    // Empty sandbox: no scripts, no forms, no navigation, no same-origin access.
                    sandbox=""
                    srcDoc={rendered.html}
                    className="h-[28rem] w-full rounded-md border border-slate-200 bg-white"
                  />
                </Tabs.Content>
              </Tabs.Root>
            ) : (
              <PlainBody text={rendered.text} />
            )}
            <p className="text-xs text-slate-500">
              The postal address and unsubscribe link at the bottom are added to every message automatically. The unsubscribe link in the
              preview does not work.
            </p>
          </div>
        ) : null}
      </div>
    </Card>
  );
}

function PlainBody({ text }: { text: string }) {
  return (
    <pre
      // Scrolls when long: focusable so keyboard users can scroll it, named for screen readers.
      tabIndex={0}
      role="region"
      aria-label="Rendered plain-text body"
      className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-white px-4 py-3 font-sans text-sm leading-relaxed text-slate-800"
    >
      {text}
    </pre>
  );
}
