import { data } from "react-router";
import { z } from "zod";
import { listFields } from "../../../workers/leads/lists.ts";
import { listLeads } from "../../../workers/leads/service.ts";
import type { RequestScope } from "../../../workers/platform/context.ts";
import { isAppError } from "../../../workers/platform/errors.ts";
import { HTML_MAX, SUBJECT_MAX, TEXT_MAX } from "../../../workers/templates/schemas.ts";
import { listTemplates, previewTemplate } from "../../../workers/templates/service.ts";

/**
 * Form parsing shared by templates/new and templates/:id. Browsers post textarea line breaks as
 * CRLF; they are stored as LF so issue offsets match what the editor shows.
 */
const lf = (v: unknown) => (typeof v === "string" ? v.replace(/\r\n?/g, "\n") : v);
const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : lf(v));
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : lf(v));
/** "saas, follow-up ,saas" → ["saas", "follow-up"]. */
const splitTags = (v: unknown) =>
  typeof v === "string"
    ? [
        ...new Set(
          v
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        ),
      ]
    : v === undefined
      ? []
      : v;

const Subject = z.preprocess(lf, z.string().max(SUBJECT_MAX, `Use at most ${SUBJECT_MAX} characters in the subject`));
const Text = z.preprocess(
  lf,
  z
    .string()
    .max(TEXT_MAX, `The plain-text body can have at most ${TEXT_MAX.toLocaleString("en-US")} characters`)
    .refine((s) => s.trim() !== "", "Write the plain-text body: every message needs one"),
);
const Html = z.preprocess(
  blankToNull,
  z
    .string()
    .max(HTML_MAX, `The HTML body can have at most ${HTML_MAX.toLocaleString("en-US")} characters`)
    .nullable(),
);

const TemplateFields = z.object({
  name: z.string().trim().min(1, "Give the template a name").max(120, "Use at most 120 characters"),
  folder: z.preprocess(blankToNull, z.string().trim().max(80, "Use at most 80 characters").nullable()),
  tags: z.preprocess(splitTags, z.array(z.string().max(40, "Each tag can have at most 40 characters")).max(20, "Use at most 20 tags")),
  subject: Subject,
  text: Text,
  html: Html,
});

export const CreateTemplateForm = TemplateFields.extend({ workspaceId: z.string().min(1, "Choose a workspace").max(64) });
export const UpdateTemplateForm = TemplateFields;
export const DeleteTemplateForm = z.object({});

const PreviewForm = z.object({
  workspaceId: z.string().min(1).max(64),
  leadId: z.preprocess(blankToUndefined, z.string().max(64).optional()),
  subject: Subject,
  text: z.preprocess(lf, z.string().max(TEXT_MAX, `The plain-text body can have at most ${TEXT_MAX} characters`)),
  html: z.preprocess(blankToUndefined, z.string().max(HTML_MAX, `The HTML body can have at most ${HTML_MAX} characters`).optional()),
});

export type PreviewData = Awaited<ReturnType<typeof previewTemplate>>;
export type PreviewActionData = { intent: "preview"; ok: boolean; formError?: string; preview?: PreviewData };

/**
 * intent=preview: validate and render for one lead. Never throws into the error boundary (the
 * editor stays usable while someone types); failures come back as `formError`.
 */
export async function runPreview(scope: RequestScope, form: FormData) {
  const parsed = PreviewForm.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) {
    return data<PreviewActionData>({ intent: "preview", ok: false, formError: parsed.error.issues[0]?.message }, { status: 400 });
  }
  try {
    return data<PreviewActionData>({ intent: "preview", ok: true, preview: await previewTemplate(scope, parsed.data) });
  } catch (err) {
    if (isAppError(err) && err.status < 500) {
      return data<PreviewActionData>({ intent: "preview", ok: false, formError: err.message }, { status: err.status });
    }
    scope.log.error("templates.preview_failed", { requestId: scope.requestId, error: err instanceof Error ? err.message : String(err) });
    return data<PreviewActionData>(
      { intent: "preview", ok: false, formError: "The preview could not be rendered just now. Keep typing or try again." },
      { status: 500 },
    );
  }
}

/** What the editor needs besides the template: leads to preview with, custom fields, existing folders and tags. */
export async function editorContext(scope: RequestScope, workspaceId: string) {
  const [leads, fields, templates] = await Promise.all([
    listLeads(scope, { workspaceId, limit: 20 }),
    listFields(scope),
    listTemplates(scope, { workspaceId }),
  ]);
  return {
    leads: leads.items.map((l) => ({
      id: l.id,
      email: l.email,
      name: [l.firstName, l.lastName].filter(Boolean).join(" "),
      company: l.company,
    })),
    customFields: fields.map((f) => ({ key: f.key, label: f.label })),
    folders: [...new Set(templates.map((t) => t.folder).filter((f): f is string => !!f))].sort(),
    tags: [...new Set(templates.flatMap((t) => t.tags))].sort(),
  };
}
