import { data, redirect } from "react-router";
import { z } from "zod";
import { timeZoneNames } from "~/components/time-zones";
import type { FormResult } from "~/lib/forms.server";
import { launchCampaign } from "../../../workers/campaigns/lifecycle.ts";
import { launchChecklist } from "../../../workers/campaigns/queries.ts";
import { SaveCampaignInput, UpdateCampaignInput } from "../../../workers/campaigns/schemas.ts";
import { createCampaign, updateCampaign } from "../../../workers/campaigns/service.ts";
import { listFields, listLists } from "../../../workers/leads/lists.ts";
import { listLeads } from "../../../workers/leads/service.ts";
import { listMailboxes } from "../../../workers/mailboxes/service.ts";
import type { RequestScope } from "../../../workers/platform/context.ts";
import { isAppError } from "../../../workers/platform/errors.ts";
import { listTemplates } from "../../../workers/templates/service.ts";
import { mailboxUsage } from "../mailboxes/forms.server";
import { runPreview } from "../templates/forms.server";

/**
 * Server side of the campaign wizard, shared by campaigns/new and campaigns/:id/edit. The wizard
 * posts its state as JSON (`payload`): steps and variants nest too deeply for flat form fields.
 * It is parsed with friendlier messages first, then with the verbs' own schemas.
 */

/** Lists, mailboxes (with today's usage), templates and preview leads of the campaign's workspace. */
export async function wizardData(scope: RequestScope, env: Env, workspaceId: string, campaignId: string | null, draft: boolean) {
  const [lists, mailboxes, templates, leads, fields, checklist] = await Promise.all([
    listLists(scope, workspaceId),
    listMailboxes(scope, workspaceId),
    listTemplates(scope, { workspaceId }),
    listLeads(scope, { workspaceId, limit: 20 }),
    listFields(scope),
    campaignId && draft ? launchChecklist(scope, campaignId) : null,
  ]);
  const usage = await mailboxUsage(env, mailboxes);
  return {
    lists: lists.map((l) => ({ id: l.id, name: l.name, leads: l.leads })),
    mailboxes: mailboxes.map((m) => ({
      id: m.id,
      email: m.email,
      fromName: m.fromName,
      status: m.status,
      statusReason: m.statusReason,
      dailyLimit: m.dailyLimit,
      minGapSeconds: m.minGapSeconds,
      sentToday: usage[m.id]?.sentToday ?? null,
    })),
    templates: templates.map((t) => ({ id: t.id, name: t.name, folder: t.folder, subject: t.subject, text: t.text, html: t.html })),
    leads: leads.items.map((l) => ({
      id: l.id,
      email: l.email,
      name: [l.firstName, l.lastName].filter(Boolean).join(" "),
      company: l.company,
    })),
    customFields: fields.map((f) => ({ key: f.key, label: f.label })),
    zones: timeZoneNames(),
    checklist,
  };
}

const lf = (v: unknown) => (typeof v === "string" ? v.replace(/\r\n?/g, "\n") : v);
const Variant = z.object({
  templateId: z.string().max(64).nullable().optional(),
  subject: z.preprocess(lf, z.string().max(500, "Use at most 500 characters in the subject")),
  text: z.preprocess(lf, z.string().max(100_000, "The plain-text body can have at most 100,000 characters")),
  html: z.preprocess(lf, z.string().max(500_000, "The HTML body can have at most 500,000 characters").nullable()),
});
const Step = z.object({
  waitMinutes: z
    .number({ error: "Enter the wait in whole days and hours" })
    .int("Enter the wait in whole days and hours")
    .min(0, "The wait cannot be negative")
    .max(90 * 24 * 60, "Wait at most 90 days"),
  condition: z.enum(["always", "not_replied", "not_opened", "not_clicked"]),
  variants: z.array(Variant).min(1, "Every step needs at least one variant").max(5, "Use at most five variants"),
});
const Schedule = z
  .object({
    days: z.array(z.number().int().min(1).max(7)).min(1, "Pick at least one sending day").max(7),
    startMinute: z.number({ error: "Enter a start time" }).int().min(0).max(1439, "Enter a start time"),
    endMinute: z.number({ error: "Enter an end time" }).int().min(0).max(1440, "Enter an end time"),
    timezone: z.string().min(1, "Choose a time zone"),
    fallbackTimezone: z.string().min(1, "Choose a time zone"),
    startAt: z.string().nullable(),
  })
  .refine((s) => s.startMinute !== s.endMinute, {
    message: "The window is empty: pick different start and end times",
    path: ["startMinute"],
  });
const Fields = z.object({
  name: z.string({ error: "Give the campaign a name" }).trim().min(1, "Give the campaign a name").max(200, "Use at most 200 characters"),
  trackOpens: z.boolean(),
  trackClicks: z.boolean(),
  listIds: z.array(z.string().max(64)).max(50, "Use at most 50 lists"),
  mailboxIds: z.array(z.string().max(64)).max(200, "Use at most 200 mailboxes"),
  steps: z.array(Step).max(7, "A sequence has at most seven e-mails"),
  schedule: Schedule,
});
// Checked with these messages first; what passes then goes through the verbs' own schemas.
const UpdateForm = Fields.partial();
const CreateForm = Fields.partial().extend({
  name: Fields.shape.name,
  workspaceId: z.string({ error: "Choose a workspace" }).min(1, "Choose a workspace").max(64),
});

type Result = FormResult & { result?: { id: string; status: string } };

/** Parses the JSON payload and runs the verb; AppErrors and validation failures come back as form state. */
async function runJson<S extends z.ZodType>(
  form: FormData,
  friendly: z.ZodType,
  schema: S,
  run: (input: z.infer<S>) => Promise<Result["result"]>,
) {
  const intent = form.get("intent")?.toString();
  let raw: unknown;
  try {
    raw = JSON.parse(form.get("payload")?.toString() || "{}");
  } catch {
    return data<Result>({ ok: false, intent, formError: "The form could not be read. Reload the page and try again." }, { status: 400 });
  }
  const first = friendly.safeParse(raw);
  const parsed = first.success ? schema.safeParse(first.data) : first;
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const i of parsed.error.issues) {
      const path = i.path.join(".") || "form";
      fieldErrors[path] = [...(fieldErrors[path] ?? []), i.message];
    }
    return data<Result>({ ok: false, intent, formError: null, fieldErrors }, { status: 400 });
  }
  try {
    return data<Result>({ ok: true, intent, result: await run(parsed.data as z.infer<S>) });
  } catch (err) {
    if (isAppError(err) && err.status < 500) {
      const fieldErrors: Record<string, string[]> = {};
      for (const i of err.details?.issues ?? []) fieldErrors[i.path] = [...(fieldErrors[i.path] ?? []), i.message];
      return data<Result>({ ok: false, intent, formError: err.message, fieldErrors }, { status: err.status });
    }
    throw err;
  }
}

/** intent=save (create or autosave), intent=preview (a variant's live preview), intent=launch. */
export async function wizardAction(scope: RequestScope, env: Env, form: FormData, campaignId: string | null) {
  switch (form.get("intent")) {
    case "preview":
      return runPreview(scope, form);
    case "save":
      if (!campaignId) return runJson(form, CreateForm, SaveCampaignInput, async (input) => pick(await createCampaign(scope, input)));
      return runJson(form, UpdateForm, UpdateCampaignInput, async (input) => pick(await updateCampaign(scope, campaignId, input)));
    case "launch": {
      if (!campaignId) throw data("Save the campaign first.", { status: 400 });
      const res = await runJson(form, UpdateForm, UpdateCampaignInput, async (input) => {
        if (Object.keys(input).length) await updateCampaign(scope, campaignId, input);
        return pick(await launchCampaign(scope, env, campaignId));
      });
      if (res.data.ok) throw redirect(`/campaigns/${campaignId}?launched=1`);
      return res;
    }
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

const pick = (c: { id: string; status: string }) => ({ id: c.id, status: c.status });
