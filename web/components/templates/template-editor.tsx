import type * as React from "react";
import { useEffect, useId, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { Link, useBlocker, useFetcher } from "react-router";
import type { ActionResult } from "~/components/action-form";
import { CsrfInput, useCsrfToken } from "~/components/csrf-input";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { CodeArea, CodeInput } from "~/components/ui/code-field";
import { Dialog } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select";
import { cn } from "~/lib/cn";
import { type EditorIssue, IssueList, issuesFromFieldErrors, offsetOf, PART_LABEL, type TemplatePart } from "./issues";
import { SyntaxHelp } from "./syntax-help";
import { type PreviewLead, type PreviewResult, TemplatePreview } from "./template-preview";
import { type Insertion, VariablePicker } from "./variable-picker";

export interface TemplateValues {
  name: string;
  folder: string;
  /** Comma-separated, as typed. */
  tags: string;
  subject: string;
  text: string;
  html: string;
}

export const EMPTY_TEMPLATE: TemplateValues = { name: "", folder: "", tags: "", subject: "", text: "", html: "" };

/** What the route action answers to intent=preview (see web/routes/templates/forms.server.ts). */
interface PreviewActionData {
  intent: "preview";
  ok: boolean;
  formError?: string;
  preview?: PreviewResult;
}

export interface TemplateEditorProps {
  mode: "new" | "edit";
  title: string;
  description?: React.ReactNode;
  initial: TemplateValues;
  workspaceId: string;
  /** New templates: the workspaces to choose from. */
  workspaces?: readonly { id: string; name: string }[];
  onWorkspaceChange?: (workspaceId: string) => void;
  leads: readonly PreviewLead[];
  customFields: readonly { key: string; label: string }[];
  folders: readonly string[];
  tags: readonly string[];
  /** A success message carried over a redirect (e.g. after creating). Hidden once something changes. */
  notice?: string | null;
  /** Extra header actions (the edit page's Delete). */
  actions?: React.ReactNode;
}

const same = (a: TemplateValues, b: TemplateValues) =>
  a.name === b.name && a.folder === b.folder && a.tags === b.tags && a.subject === b.subject && a.text === b.text && a.html === b.html;

const FORM_ID = "template-form";

/**
 * The template editor used by templates/new and templates/:id. Everything typed stays in state, so
 * a refused save keeps it; a debounced preview (intent=preview on the same route action, without
 * revalidating the page) renders it for one lead on every pause in typing.
 */
export function TemplateEditor(props: TemplateEditorProps) {
  const { mode, initial, workspaceId, leads, customFields } = props;
  const csrf = useCsrfToken();
  const [values, setValues] = useState(initial);
  const [baseline, setBaseline] = useState(initial);
  const dirty = !same(values, baseline);
  const [htmlOpen, setHtmlOpen] = useState(initial.html !== "");
  const [leadId, setLeadId] = useState("");
  const [target, setTarget] = useState<TemplatePart>("text");

  const subjectRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const htmlRef = useRef<HTMLTextAreaElement>(null);
  const fieldEl = (part: TemplatePart) => (part === "subject" ? subjectRef : part === "text" ? textRef : htmlRef).current;

  const set = (key: keyof TemplateValues) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  // A lead picked in one workspace means nothing in another.
  const [leadWorkspace, setLeadWorkspace] = useState(workspaceId);
  if (leadWorkspace !== workspaceId) {
    setLeadWorkspace(workspaceId);
    setLeadId("");
  }
  const effectiveLead = leads.some((l) => l.id === leadId) ? leadId : "";

  // ---- Live preview -------------------------------------------------------------------------
  const preview = useFetcher<PreviewActionData>();
  const submitPreview = useRef(preview.submit);
  submitPreview.current = preview.submit;
  const previewKey = JSON.stringify([values.subject, values.text, values.html, effectiveLead, workspaceId]);
  const [sentKey, setSentKey] = useState<string | null>(null);
  const firstPreview = useRef(true);
  useEffect(() => {
    const [subject, text, html, lead, ws] = JSON.parse(previewKey) as string[];
    const t = setTimeout(
      () => {
        const fd = new FormData();
        fd.set("csrf", csrf);
        fd.set("intent", "preview");
        fd.set("workspaceId", ws ?? "");
        fd.set("leadId", lead ?? "");
        fd.set("subject", subject ?? "");
        fd.set("text", text ?? "");
        fd.set("html", html ?? "");
        // A preview changes nothing on the server: no need to reload the page's data.
        submitPreview.current(fd, { method: "post", defaultShouldRevalidate: false });
        setSentKey(previewKey);
        firstPreview.current = false;
      },
      // First render: at once. Then ~400 ms after the last keystroke.
      firstPreview.current ? 0 : 400,
    );
    return () => clearTimeout(t);
  }, [previewKey, csrf]);
  const previewPending = sentKey !== previewKey || preview.state !== "idle";
  const previewData = preview.data;
  const rawResult = previewData?.ok ? previewData.preview : undefined;
  // An empty body is not worth a red error while writing (saving still refuses it): the preview
  // asks for it instead.
  const previewResult = rawResult && { ...rawResult, errors: rawResult.errors.filter((e) => e.code !== "EMPTY_TEXT") };
  const liveErrors = previewResult?.errors ?? [];

  // ---- Save -----------------------------------------------------------------------------------
  const save = useFetcher<ActionResult<{ id: string }>>();
  const submitted = useRef(values);
  const seenSave = useRef(save.data);
  const errorSummary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (save.data === seenSave.current) return;
    seenSave.current = save.data;
    if (save.data?.ok) setBaseline(submitted.current);
    // A refused save: move focus to the summary so screen readers hear what went wrong.
    else if (save.data) errorSummary.current?.focus();
  }, [save.data]);
  const saving = save.state !== "idle";
  const failed = save.data && !save.data.ok ? save.data : undefined;
  const fieldError = (name: string) => failed?.fieldErrors?.[name]?.[0];
  const saveIssues = issuesFromFieldErrors(failed?.fieldErrors);
  const savedNow = !!save.data?.ok && !dirty;
  const notice = savedNow ? "Saved." : !dirty && !save.data ? props.notice : null;

  // Ctrl/Cmd+S saves from anywhere on the page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.metaKey || e.ctrlKey) || e.key.toLowerCase() !== "s" || e.altKey || e.shiftKey) return;
      e.preventDefault();
      const form = document.getElementById(FORM_ID);
      if (form instanceof HTMLFormElement) form.requestSubmit(form.querySelector<HTMLButtonElement>("button[value=save]"));
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // ---- Unsaved changes ------------------------------------------------------------------------
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !saving && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  // ---- Insert variable / jump to issue --------------------------------------------------------
  const insertTarget: TemplatePart = target === "html" && !htmlOpen ? "text" : target;
  const insert = ({ token, select }: Insertion) => {
    const part = insertTarget;
    const el = fieldEl(part);
    const current = values[part];
    const start = el?.selectionStart ?? current.length;
    const end = el?.selectionEnd ?? start;
    flushSync(() => setValues((v) => ({ ...v, [part]: current.slice(0, start) + token + current.slice(end) })));
    if (!el) return;
    el.focus();
    el.setSelectionRange(start + select[0], start + select[1]);
  };
  const jump = (issue: EditorIssue) => {
    if (issue.part === "html" && !htmlOpen) flushSync(() => setHtmlOpen(true));
    const el = fieldEl(issue.part);
    if (!el) return;
    const at = Math.min(issue.index ?? offsetOf(values[issue.part], issue.line, issue.column), values[issue.part].length);
    el.focus();
    el.setSelectionRange(at, at);
  };

  /** The first live error in a part, shown under its field (the full list is in the preview). */
  const partError = (part: TemplatePart) => {
    const own = fieldError(part);
    if (own) return own;
    const errs = liveErrors.filter((e) => e.part === part);
    if (!errs.length) return undefined;
    const first = errs[0]!;
    return `Line ${first.line}, column ${first.column}: ${first.message}${errs.length > 1 ? ` (and ${errs.length - 1} more)` : ""}`;
  };

  const workspaceOptions = (props.workspaces ?? []).map((w) => ({ value: w.id, label: w.name }));

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Link to="/templates" className="w-fit text-sm font-medium text-brand-700 hover:underline">
          ← Templates
        </Link>
        <PageHeader
          title={props.title}
          description={props.description}
          action={
            <div className="flex items-center gap-2">
              {dirty ? (
                <Badge tone="warning" className="mr-1">
                  Unsaved changes
                </Badge>
              ) : null}
              {props.actions}
              <Button type="submit" form={FORM_ID} name="intent" value="save" busy={saving}>
                {mode === "new" ? "Create template" : "Save"}
              </Button>
            </div>
          }
        />
      </div>

      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {failed ? (
        <div ref={errorSummary} tabIndex={-1} className="focus:outline-none">
          <Alert tone="error" title={failed.formError ?? "Check the highlighted fields."}>
            {saveIssues.length ? (
              <>
                <p>Nothing was saved. What you typed is still here; fix these and save again:</p>
                <IssueList issues={saveIssues} tone="error" onJump={jump} className="mt-2" />
              </>
            ) : failed.formError ? (
              <p>Nothing was saved; what you typed is still here.</p>
            ) : null}
          </Alert>
        </div>
      ) : null}

      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <save.Form
          id={FORM_ID}
          method="post"
          noValidate
          className="flex flex-col gap-6"
          onSubmit={() => {
            submitted.current = values;
          }}
        >
          <CsrfInput />
          <Card>
            <CardHeader title="Details" description="How you find the template later. Leads never see these." />
            <CardBody className="grid gap-4 sm:grid-cols-2">
              {mode === "new" ? (
                <SelectField
                  label="Workspace"
                  name="workspaceId"
                  options={workspaceOptions}
                  value={workspaceId}
                  onChange={(e) => props.onWorkspaceChange?.(e.target.value)}
                  hint="Its leads and custom fields are used for the preview and checks."
                  error={fieldError("workspaceId")}
                  className="sm:col-span-2"
                />
              ) : null}
              <Field
                label="Name"
                name="name"
                required
                maxLength={120}
                placeholder="First touch: SaaS founders"
                value={values.name}
                onChange={set("name")}
                error={fieldError("name")}
                className="sm:col-span-2"
                autoFocus={mode === "new"}
              />
              <Field
                label="Folder (optional)"
                name="folder"
                maxLength={80}
                list="template-folders"
                placeholder="Outbound Q3"
                value={values.folder}
                onChange={set("folder")}
                error={fieldError("folder")}
                hint="Templates are grouped by folder."
              />
              <datalist id="template-folders">
                {props.folders.map((f) => (
                  <option key={f} value={f} />
                ))}
              </datalist>
              <Field
                label="Tags (optional)"
                name="tags"
                placeholder="saas, first-touch"
                value={values.tags}
                onChange={set("tags")}
                error={fieldError("tags")}
                hint={props.tags.length ? `Comma-separated. In use: ${props.tags.slice(0, 8).join(", ")}` : "Comma-separated."}
              />
            </CardBody>
          </Card>

          <Card>
            <CardHeader
              title="Message"
              description="Write the plain-text version first: it is what lands best in cold outreach."
              action={
                <div className="flex flex-col items-end gap-1">
                  <VariablePicker customFields={customFields} targetLabel={PART_LABEL[insertTarget]} onInsert={insert} />
                  <span className="whitespace-nowrap text-xs text-slate-500" aria-hidden="true">
                    into: {PART_LABEL[insertTarget]}
                  </span>
                </div>
              }
            />
            <CardBody className="flex flex-col gap-5">
              <CodeInput
                ref={subjectRef}
                label="Subject"
                name="subject"
                maxLength={500}
                placeholder="{Quick|Short} question about {{company}}"
                value={values.subject}
                onChange={set("subject")}
                onFocus={() => setTarget("subject")}
                error={partError("subject")}
                hint="One line. Spintax and variables work here too."
              />
              <CodeArea
                ref={textRef}
                label="Plain-text body"
                name="text"
                rows={16}
                required
                value={values.text}
                onChange={set("text")}
                onFocus={() => setTarget("text")}
                error={partError("text")}
                placeholder={'{Hi|Hello} {{first_name | default: "there"}},\n\nI noticed {{company}} is hiring…'}
                hint="Line breaks are kept. The postal address and unsubscribe link are appended automatically."
              />
              <HtmlSection
                open={htmlOpen}
                onOpenChange={setHtmlOpen}
                hasHtml={values.html.trim() !== ""}
                onRemove={() => {
                  setValues((v) => ({ ...v, html: "" }));
                  setHtmlOpen(false);
                  if (target === "html") setTarget("text");
                }}
              >
                <CodeArea
                  ref={htmlRef}
                  label="HTML body"
                  name="html"
                  rows={12}
                  value={values.html}
                  onChange={set("html")}
                  onFocus={() => setTarget("html")}
                  error={partError("html")}
                  placeholder={'<p>{Hi|Hello} {{first_name | default: "there"}},</p>'}
                  hint="Optional. Sent as the HTML alternative; keep it simple (no scripts, forms or hidden text)."
                />
              </HtmlSection>
              <SyntaxHelp />
            </CardBody>
          </Card>

          <div className="flex flex-wrap items-center justify-end gap-3">
            <span className="text-xs text-slate-500">
              <kbd className="rounded border border-slate-300 bg-white px-1 font-sans">Ctrl</kbd> +{" "}
              <kbd className="rounded border border-slate-300 bg-white px-1 font-sans">S</kbd> saves
            </span>
            <Button type="submit" name="intent" value="save" busy={saving}>
              {mode === "new" ? "Create template" : "Save"}
            </Button>
          </div>
        </save.Form>

        <div className="xl:sticky xl:top-6">
          <TemplatePreview
            result={previewResult}
            pending={previewPending}
            formError={previewData && !previewData.ok ? previewData.formError : undefined}
            leads={leads}
            leadId={effectiveLead}
            onLeadChange={setLeadId}
            onJump={jump}
          />
        </div>
      </div>

      <Dialog
        open={blocker.state === "blocked"}
        onOpenChange={(open) => {
          if (!open && blocker.state === "blocked") blocker.reset();
        }}
        title="Leave without saving?"
        // "Keep editing" goes back to the field you were in.
        returnFocusTo={insertTarget === "subject" ? subjectRef : insertTarget === "html" ? htmlRef : textRef}
        description="Your changes to this template have not been saved. If you leave now, they are lost."
      >
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => blocker.reset?.()}>
            Keep editing
          </Button>
          <Button type="button" variant="danger" onClick={() => blocker.proceed?.()}>
            Discard changes
          </Button>
        </div>
      </Dialog>
    </div>
  );
}

/**
 * The optional HTML version, behind a disclosure. Collapsed, its textarea stays in the form (and is
 * saved); "Remove" clears it.
 */
function HtmlSection({
  open,
  onOpenChange,
  hasHtml,
  onRemove,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  hasHtml: boolean;
  onRemove: () => void;
  children: React.ReactNode;
}) {
  const id = useId();
  return (
    <div className="rounded-md border border-slate-200">
      <div className="flex items-center justify-between gap-3 px-3 py-2">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => onOpenChange(!open)}
          className="flex items-center gap-2 rounded text-sm font-medium text-slate-800"
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 20 20"
            className={cn("size-4 text-slate-500 transition-transform", open && "rotate-90")}
            fill="none"
            stroke="currentColor"
            strokeWidth="1.5"
          >
            <path d="m7.5 5 5 5-5 5" />
          </svg>
          HTML version {hasHtml ? <Badge tone="brand">included</Badge> : <span className="font-normal text-slate-500">(optional)</span>}
        </button>
        {hasHtml ? (
          <Button type="button" variant="ghost" size="sm" className="text-red-700 hover:bg-red-50" onClick={onRemove}>
            Remove HTML
          </Button>
        ) : null}
      </div>
      <div id={id} hidden={!open} className="border-t border-slate-200 px-3 py-3">
        {children}
      </div>
    </div>
  );
}
