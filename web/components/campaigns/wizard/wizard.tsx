import { useEffect, useRef, useState } from "react";
import { Link, useBlocker, useFetcher, useLocation, useNavigate } from "react-router";
import type { ActionResult } from "~/components/action-form";
import { useCsrfToken } from "~/components/csrf-input";
import type { PreviewLead } from "~/components/templates/template-preview";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Checkbox } from "~/components/ui/checkbox";
import { Dialog } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select";
import { CampaignStatusBadge } from "../status";
import { AudienceStep, type ListOption } from "./audience-step";
import { changedParts, type Payload, type StepKey, toPayload, WIZARD_STEPS, type WizardState } from "./model";
import { LaunchChecklist, ReviewStep } from "./review-step";
import { ScheduleStep } from "./schedule-step";
import { type MailboxOption, SenderStep } from "./sender-step";
import { SequenceStep } from "./sequence-step";
import { Stepper } from "./stepper";
import type { TemplateOption } from "./variant-editor";

export interface WizardData {
  workspaces: readonly { id: string; name: string }[];
  workspace: { id: string; name: string };
  lists: readonly ListOption[];
  mailboxes: readonly MailboxOption[];
  templates: readonly TemplateOption[];
  leads: readonly PreviewLead[];
  customFields: readonly { key: string; label: string }[];
  zones: readonly string[];
  /** Launch problems of the saved draft (null once launched). */
  checklist: string[] | null;
}

type SaveResult = ActionResult<{ id: string; status: string }>;

const AUTOSAVE_MS = 30_000;
const STEP_OF: [prefix: string, step: StepKey][] = [
  ["name", "name"],
  ["workspaceId", "name"],
  ["listIds", "audience"],
  ["steps", "sequence"],
  ["mailboxIds", "sender"],
  ["schedule", "schedule"],
];
const stepOfPath = (path: string): StepKey | null => STEP_OF.find(([p]) => path === p || path.startsWith(`${p}.`))?.[1] ?? null;

/**
 * The campaign wizard (campaigns/new and campaigns/:id/edit). Everything typed lives in one state
 * object; every "Next" (and every 30 s while something changed) saves the draft through the route
 * action: createCampaign the first time, then updateCampaign with only the parts that changed.
 */
export function CampaignWizard({
  campaign,
  initial,
  step,
  data,
  onWorkspaceChange,
}: {
  campaign: { id: string; status: string; stopped: boolean } | null;
  initial: WizardState;
  step: StepKey;
  data: WizardData;
  onWorkspaceChange?: (workspaceId: string) => void;
}) {
  const navigate = useNavigate();
  const csrf = useCsrfToken();
  const [state, setState] = useState(initial);
  const [saved, setSaved] = useState<Payload | null>(campaign ? toPayload(initial) : null);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const current = toPayload(state);
  const dirty = campaign ? JSON.stringify(current) !== JSON.stringify(saved) : state.name.trim() !== "";
  const running = !!campaign && campaign.status !== "draft";
  const finished = campaign?.status === "completed";

  // ---- Saving -------------------------------------------------------------------------------
  const save = useFetcher<SaveResult>();
  const launch = useFetcher<SaveResult>();
  const submitted = useRef<{ payload: Payload; to: StepKey | null; leave: boolean } | null>(null);
  const allowNav = useRef(false);
  const seen = useRef(save.data);
  const saving = save.state !== "idle";

  const submitSave = (to: StepKey | null, leave = false) => {
    const fd = new FormData();
    fd.set("csrf", csrf);
    fd.set("intent", "save");
    fd.set("payload", JSON.stringify(campaign ? changedParts(current, saved) : { ...current, workspaceId: state.workspaceId }));
    submitted.current = { payload: current, to, leave };
    void save.submit(fd, { method: "post" });
  };

  const goTo = (to: StepKey) => {
    if (finished || (campaign && !dirty)) {
      if (to !== step) navigate(`?step=${to}`);
      return;
    }
    submitSave(to);
  };

  useEffect(() => {
    if (save.data === seen.current) return;
    seen.current = save.data;
    const sent = submitted.current;
    if (!save.data?.ok || !sent) return;
    setSaved(sent.payload);
    setSavedAt(new Date());
    if (sent.leave) return; // the blocker proceeds (below)
    // The draft now exists: moving from /campaigns/new to its edit page loses nothing.
    if (!campaign && save.data.result) allowNav.current = true;
    if (!campaign && save.data.result) navigate(`/campaigns/${save.data.result.id}/edit?step=${sent.to ?? "audience"}`, { replace: true });
    else if (sent.to && sent.to !== step) navigate(`?step=${sent.to}`);
  }, [save.data, campaign, navigate, step]);
  // A refused launch stays on the page: guard against leaving again.
  useEffect(() => {
    if (launch.data && !launch.data.ok) allowNav.current = false;
  }, [launch.data]);
  // Each arrival re-arms the guard (it is lifted only for the navigation a save starts).
  const location = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-arm on every location change
  useEffect(() => {
    allowNav.current = false;
  }, [location.key]);

  // Autosave (SPEC §4.7.1: every 30 s) while the draft has unsaved changes.
  const autosave = useRef(submitSave);
  autosave.current = submitSave;
  useEffect(() => {
    if (!campaign || finished || !dirty) return;
    const t = setTimeout(() => {
      if (save.state === "idle") autosave.current(null);
    }, AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [campaign, finished, dirty, save.state]);

  // ---- Leaving with unsaved changes ---------------------------------------------------------
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && !allowNav.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state === "blocked" && save.data?.ok && submitted.current?.leave && save.state === "idle") blocker.proceed();
  }, [blocker, save.data, save.state]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  // ---- Errors -------------------------------------------------------------------------------
  const failed = [launch.data, save.data].find((d) => d && !d.ok);
  const fieldError = (path: string) => failed?.fieldErrors?.[path]?.[0];
  const errorSteps = new Set<StepKey>();
  for (const path of Object.keys(failed?.fieldErrors ?? {})) {
    const s = stepOfPath(path);
    if (s && failed?.fieldErrors?.[path]?.length) errorSteps.add(s);
  }
  const elsewhere = [...errorSteps].filter((s) => s !== step);
  const launchIssues = launch.data && !launch.data.ok ? launch.data.fieldErrors?.launch : undefined;

  // ---- Focus the step's heading when the step changes ---------------------------------------
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on step change only
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
    window.scrollTo({ top: 0 });
  }, [step]);

  const at = WIZARD_STEPS.findIndex((s) => s.key === step);
  const next = WIZARD_STEPS[at + 1]?.key;
  const prev = WIZARD_STEPS[at - 1]?.key;
  const set =
    <K extends keyof WizardState>(k: K) =>
    (v: WizardState[K]) =>
      setState((s) => ({ ...s, [k]: v }));

  const status = saving
    ? "Saving…"
    : failed && !launchIssues
      ? "Not saved: see the errors"
      : dirty
        ? campaign
          ? "Unsaved changes"
          : "Not saved yet"
        : savedAt
          ? `Saved at ${savedAt.toLocaleTimeString(undefined, { timeStyle: "short" })}`
          : campaign
            ? "All changes saved"
            : "";

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link
          to={campaign && campaign.status !== "draft" ? `/campaigns/${campaign.id}` : "/campaigns"}
          className="text-brand-700 hover:underline"
        >
          ← {campaign && campaign.status !== "draft" ? "Back to the campaign" : "Campaigns"}
        </Link>
      </nav>
      <PageHeader
        title={campaign ? state.name || "Untitled campaign" : "New campaign"}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {campaign ? <CampaignStatusBadge status={campaign.status} stopped={campaign.stopped} /> : null}
            <span>In {data.workspace.name}</span>
            {status ? (
              <span className="text-slate-500" role="status">
                · {status}
              </span>
            ) : null}
          </span>
        }
        action={
          campaign && !finished ? (
            <Button
              type="button"
              variant="secondary"
              busy={saving && !submitted.current?.to}
              disabled={!dirty}
              onClick={() => submitSave(null)}
            >
              Save {running ? "changes" : "draft"}
            </Button>
          ) : null
        }
      />
      {finished ? (
        <Alert tone="info" title="This campaign has finished">
          It can no longer be edited. Its settings are shown for reference.
        </Alert>
      ) : running ? (
        <Alert tone="warning" title="This campaign is running">
          Changes apply to future sends only: messages already sent or handed to a mail server stay as they are, and the audience was
          enrolled at launch.
        </Alert>
      ) : null}
      <Stepper current={step} onGo={goTo} withErrors={errorSteps} disabled={!campaign} />
      <h2 ref={heading} tabIndex={-1} className="sr-only">
        Step {at + 1} of {WIZARD_STEPS.length}: {WIZARD_STEPS[at]?.label}
      </h2>
      {failed?.formError && !launchIssues ? <Alert tone="error">{failed.formError}</Alert> : null}
      {elsewhere.length && !launchIssues ? (
        <Alert tone="error" title="Some details need fixing before this can be saved">
          <ul className="mt-1 flex flex-wrap gap-2">
            {elsewhere.map((s) => (
              <li key={s}>
                <button type="button" className="font-medium underline" onClick={() => navigate(`?step=${s}`)}>
                  Go to {WIZARD_STEPS.find((w) => w.key === s)?.label}
                </button>
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}

      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (next) goTo(next);
        }}
        className="flex flex-col gap-6"
      >
        {step === "name" ? (
          <Card>
            <CardHeader title="Name your campaign" description="Only your team sees the name." />
            <CardBody className="flex max-w-xl flex-col gap-4">
              <Field
                label="Campaign name"
                required
                maxLength={200}
                autoFocus={!campaign}
                placeholder="Q3 outreach: SaaS founders"
                value={state.name}
                onChange={(e) => set("name")(e.target.value)}
                error={fieldError("name")}
                disabled={finished}
              />
              {!campaign && data.workspaces.length > 1 ? (
                <SelectField
                  label="Workspace"
                  options={data.workspaces.map((w) => ({ value: w.id, label: w.name }))}
                  value={state.workspaceId}
                  onChange={(e) => {
                    set("workspaceId")(e.target.value);
                    onWorkspaceChange?.(e.target.value);
                  }}
                  error={fieldError("workspaceId")}
                  hint="Leads, mailboxes and templates come from this workspace. It cannot be changed later."
                />
              ) : null}
            </CardBody>
          </Card>
        ) : step === "audience" ? (
          <AudienceStep
            workspaceName={data.workspace.name}
            lists={data.lists}
            selected={state.listIds}
            onChange={set("listIds")}
            error={fieldError("listIds")}
            locked={running}
          />
        ) : step === "sequence" ? (
          <SequenceStep
            steps={state.steps}
            onChange={set("steps")}
            templates={data.templates}
            customFields={data.customFields}
            leads={data.leads}
            workspaceId={state.workspaceId}
            fieldError={fieldError}
            disabled={finished}
          />
        ) : step === "sender" ? (
          <SenderStep
            mailboxes={data.mailboxes}
            selected={state.mailboxIds}
            onChange={set("mailboxIds")}
            error={fieldError("mailboxIds")}
            disabled={finished}
          />
        ) : step === "schedule" ? (
          <>
            <ScheduleStep
              value={state.schedule}
              onChange={set("schedule")}
              zones={data.zones}
              fieldError={fieldError}
              disabled={finished}
            />
            <Card>
              <CardHeader title="Tracking" description="What the campaign page can report besides sends, bounces and replies." />
              <CardBody>
                <fieldset disabled={finished} className="flex flex-col gap-4">
                  <legend className="sr-only">Tracking</legend>
                  <Checkbox
                    label="Track opens"
                    checked={state.trackOpens}
                    onChange={(e) => set("trackOpens")(e.target.checked)}
                    description="Adds a tiny invisible image. Counts are approximate: some mail apps load images on their own, others block them."
                  />
                  <Checkbox
                    label="Track link clicks"
                    checked={state.trackClicks}
                    onChange={(e) => set("trackClicks")(e.target.checked)}
                    description="Sends links through a tracking redirect. Off by default: rewritten links can hurt the deliverability of cold e-mail."
                  />
                </fieldset>
              </CardBody>
            </Card>
          </>
        ) : (
          <ReviewStep state={state} workspaceName={data.workspace.name} lists={data.lists} mailboxes={data.mailboxes} onEdit={goTo}>
            {campaign?.status === "draft" ? (
              launchIssues ? (
                <LaunchChecklist problems={launchIssues} refused />
              ) : dirty ? (
                <Alert tone="info">You have unsaved changes: the launch checks run again when you save or launch.</Alert>
              ) : data.checklist ? (
                <LaunchChecklist problems={data.checklist} />
              ) : null
            ) : null}
          </ReviewStep>
        )}

        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
          <div>
            {prev ? (
              <Button type="button" variant="secondary" onClick={() => goTo(prev)} disabled={!campaign}>
                ← Back
              </Button>
            ) : null}
          </div>
          <div className="flex flex-wrap items-center gap-3">
            {next ? (
              <Button type="submit" busy={saving && submitted.current?.to === next}>
                {finished || (campaign && !dirty) ? "Next" : "Save and continue"} →
              </Button>
            ) : campaign?.status === "draft" ? (
              <Button
                type="button"
                busy={launch.state !== "idle"}
                onClick={() => {
                  const fd = new FormData();
                  fd.set("csrf", csrf);
                  fd.set("intent", "launch");
                  fd.set("payload", JSON.stringify(dirty ? changedParts(current, saved) : {}));
                  allowNav.current = true;
                  submitted.current = { payload: current, to: null, leave: false };
                  void launch.submit(fd, { method: "post" });
                }}
              >
                Launch campaign
              </Button>
            ) : campaign && !finished ? (
              <Button
                type="button"
                busy={saving}
                onClick={() => {
                  if (dirty) submitSave(null);
                  else navigate(`/campaigns/${campaign.id}`);
                }}
              >
                {dirty ? "Save changes" : "Done"}
              </Button>
            ) : null}
          </div>
        </div>
      </form>

      <Dialog
        open={blocker.state === "blocked"}
        onOpenChange={(open) => {
          if (!open && blocker.state === "blocked") blocker.reset();
        }}
        title="Leave with unsaved changes?"
        description={
          campaign ? "Your last changes are not saved yet. The rest of the draft is kept." : "The campaign has not been created yet."
        }
      >
        {save.data && !save.data.ok && submitted.current?.leave ? (
          <Alert tone="error">Could not save: {save.data.formError ?? "some details need fixing."}</Alert>
        ) : null}
        <div className="mt-4 flex flex-wrap justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => blocker.reset?.()}>
            Keep editing
          </Button>
          <Button type="button" variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => blocker.proceed?.()}>
            Discard
          </Button>
          <Button type="button" busy={saving} onClick={() => submitSave(null, true)}>
            Save and leave
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
