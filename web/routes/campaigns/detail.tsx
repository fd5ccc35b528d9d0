import type * as React from "react";
import { useEffect, useRef, useState } from "react";
import { data, Link, useSearchParams } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { ActivityCard, NextSendsCard, SequenceCard } from "~/components/campaigns/detail-cards";
import { progressOf } from "~/components/campaigns/format";
import { useAutoRefresh } from "~/components/campaigns/refresh";
import { CampaignStatusBadge } from "~/components/campaigns/status";
import { StepChart } from "~/components/campaigns/step-chart";
import { LaunchChecklist } from "~/components/campaigns/wizard/review-step";
import { CsrfInput } from "~/components/csrf-input";
import { formatNumber } from "~/components/leads/format";
import { RouteError } from "~/components/leads/not-found";
import { readPaging } from "~/components/leads/pager";
import { Alert, EmptyState } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { ConfirmDialog } from "~/components/ui/dialog";
import { Notice, type NoticeMessage } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { ProgressBar } from "~/components/ui/progress";
import { DateTime } from "~/components/ui/time";
import { envContext, scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { launchCampaign, pauseCampaign, resumeCampaign, stopCampaign } from "../../../workers/campaigns/lifecycle.ts";
import { campaignActivity, launchChecklist, nextSends, stepStats } from "../../../workers/campaigns/queries.ts";
import { getCampaign } from "../../../workers/campaigns/service.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/detail";

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: `${loaderData?.campaign.name ?? "Campaign"} · Campaigns · PenguinMails` },
];

const ACTIVITY_PAGE = 25;
const LeadFilter = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/)
  .optional()
  .catch(undefined);

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const url = new URL(request.url);
  const paging = readPaging(url);
  const leadId = LeadFilter.parse(url.searchParams.get("lead") ?? undefined);
  const campaign = await orHttp(getCampaign(scope, params.campaignId));
  const [workspaces, upcoming, activity, stats, checklist] = await Promise.all([
    orHttp(listWorkspaces(scope)),
    orHttp(nextSends(scope, campaign.id, 10)),
    orHttp(campaignActivity(scope, campaign.id, { limit: ACTIVITY_PAGE, cursor: paging.cursor, leadId })),
    orHttp(stepStats(scope, campaign.id)),
    campaign.status === "draft" ? orHttp(launchChecklist(scope, campaign.id)) : null,
  ]);
  return {
    campaign,
    workspace: workspaces.find((w) => w.id === campaign.workspaceId)?.name ?? null,
    upcoming,
    activity,
    stats,
    checklist,
    paging,
    leadId: leadId ?? null,
    canWrite: can(scope, "campaigns:write"),
  };
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} title="Campaign" back={{ to: "/campaigns", label: "Back to campaigns" }} />;
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  const env = context.get(envContext);
  const id = params.campaignId;
  const verb = { launch: launchCampaign, pause: pauseCampaign, resume: resumeCampaign, stop: stopCampaign }[
    String(form.get("intent")) as "launch" | "pause" | "resume" | "stop"
  ];
  if (!verb) throw data("Unknown action.", { status: 400 });
  return handleForm(form, z.object({}), async () => {
    const c = await verb(scope, env, id);
    return { status: c.status, enrolled: c.stats.enrolled };
  });
}

type Loaded = Route.ComponentProps["loaderData"];

export default function CampaignDetail({ loaderData }: Route.ComponentProps) {
  const { campaign: c, workspace, upcoming, activity, stats, checklist, paging, leadId, canWrite } = loaderData;
  const [sp] = useSearchParams();
  const [notice, setNotice] = useState<NoticeMessage>(null);
  const [refused, setRefused] = useState<string[] | null>(null);
  // Live while sending (every 5 s); a scheduled campaign only needs to notice that it started.
  const refreshing = useAutoRefresh(c.status === "sending" ? 5_000 : c.status === "scheduled" ? 30_000 : null);
  const s = c.stats;
  const extra = s as Partial<Record<"opened" | "appleMppOpened" | "clicked" | "replied" | "unsubscribed", number>>;
  // Apple Mail Privacy Protection loads every image on delivery: those opens are shown apart, never counted.
  const mpp = extra.appleMppOpened ? `; +${formatNumber(extra.appleMppOpened)} by Apple Mail privacy` : "";
  const launched = sp.get("launched") === "1";
  const counts: StatProps[] = [
    { label: "Sent", value: s.sent, tone: "success" },
    { label: "Scheduled", value: s.scheduled, hint: "Planned next e-mails" },
    ...(extra.replied !== undefined ? [{ label: "Replied", value: extra.replied }] : []),
    ...(extra.opened !== undefined && c.trackOpens
      ? [{ label: "Opened", value: extra.opened, hint: `Approximate; HTML e-mails only${mpp}` }]
      : []),
    ...(extra.clicked !== undefined && c.trackClicks ? [{ label: "Clicked", value: extra.clicked }] : []),
    // "Opted out": "Unsubscribed" does not fit a card when all eight show.
    ...(extra.unsubscribed !== undefined ? [{ label: "Opted out", value: extra.unsubscribed, hint: "Unsubscribed" }] : []),
    { label: "Bounced", value: s.bounced, tone: s.bounced ? "danger" : undefined },
    { label: "Failed", value: s.failed, tone: s.failed ? "danger" : undefined, hint: "Refused by the server" },
    {
      label: "Unknown",
      value: s.unknown,
      tone: s.unknown ? "warning" : undefined,
      hint: "Delivery outcome unknown; never resent automatically",
    },
  ];

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/campaigns" className="text-brand-700 hover:underline">
          ← Campaigns
        </Link>
      </nav>
      <PageHeader
        title={c.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <CampaignStatusBadge status={c.status} stopped={!!c.stoppedAt} />
            {workspace ? <span>In {workspace}</span> : null}
            {c.launchedAt ? (
              <span>
                · launched <DateTime value={c.launchedAt} />
              </span>
            ) : null}
            {c.status === "sending" ? (
              <span className="text-slate-500" aria-hidden="true">
                · {refreshing ? "updating…" : "updates every 5 s"}
              </span>
            ) : null}
          </span>
        }
        action={
          canWrite ? (
            <Actions
              c={c}
              onNotice={(text) => {
                setRefused(null);
                setNotice({ text });
              }}
              onRefused={setRefused}
            />
          ) : null
        }
      />
      <Notice notice={notice} />
      {launched && !notice && (c.status === "sending" || c.status === "scheduled") ? (
        <Alert tone="success" title="Campaign launched">
          {formatNumber(s.enrolled)} {s.enrolled === 1 ? "lead was" : "leads were"} enrolled. The first e-mails go out in the next sending
          window; this page updates as they do.
        </Alert>
      ) : null}
      {refused ? (
        <LaunchChecklist problems={refused} refused />
      ) : c.status === "draft" && checklist ? (
        <LaunchChecklist problems={checklist} />
      ) : null}

      <section aria-labelledby="counts-heading" className="flex flex-col gap-3">
        <h2 id="counts-heading" className="sr-only">
          Counts
        </h2>
        <dl
          className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-[repeat(var(--stat-cols),minmax(0,1fr))]"
          style={{ "--stat-cols": counts.length } as React.CSSProperties}
        >
          {counts.map((k) => (
            <Stat key={k.label} {...k} />
          ))}
        </dl>
        {c.status !== "draft" ? (
          <div className="flex flex-col gap-1.5">
            <ProgressBar
              value={progressOf(s)}
              tone={c.status === "completed" ? "success" : "brand"}
              labelledBy="progress-label"
              valueText={`${formatNumber(s.enrolled - s.active)} of ${formatNumber(s.enrolled)} leads finished`}
            />
            <p id="progress-label" className="text-sm text-slate-600">
              {formatNumber(s.enrolled - s.active)} of {formatNumber(s.enrolled)} enrolled leads finished the sequence (completed, replied,
              bounced or stopped)
            </p>
          </div>
        ) : null}
      </section>

      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <Card>
          <CardHeader title="By step and variant" description="What happened to each e-mail of the sequence, and what recipients did." />
          <CardBody>
            {stats.length === 0 ? (
              <EmptyState title="No steps yet">Add e-mails to the sequence to see them here.</EmptyState>
            ) : (
              <StepChart
                rows={stats}
                caption={`Sends of ${c.name} by step and variant`}
                trackOpens={c.trackOpens}
                trackClicks={c.trackClicks}
              />
            )}
          </CardBody>
        </Card>
        <div className="flex flex-col gap-6">
          <NextSendsCard upcoming={upcoming} status={c.status} />
          <SequenceCard c={c} />
        </div>
        <div className="lg:col-span-2">
          <ActivityCard activity={activity} paging={paging} leadId={leadId} pageSize={ACTIVITY_PAGE} status={c.status} />
        </div>
      </div>
    </div>
  );
}

type StatProps = { label: string; value: number; hint?: string; tone?: "success" | "danger" | "warning" };

function Stat({ label, value, hint, tone }: StatProps) {
  const color =
    tone === "danger" ? "text-red-700" : tone === "warning" ? "text-amber-700" : tone === "success" ? "text-emerald-700" : "text-slate-900";
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-xs">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className={`mt-1 text-2xl font-semibold tabular-nums ${color}`}>{formatNumber(value)}</dd>
      {hint ? <dd className="mt-0.5 text-xs text-slate-500">{hint}</dd> : null}
    </div>
  );
}

function Actions({
  c,
  onNotice,
  onRefused,
}: {
  c: Loaded["campaign"];
  onNotice: (text: string) => void;
  onRefused: (issues: string[] | null) => void;
}) {
  const edit = (label: string) => (
    <Button asChild variant="secondary">
      <Link to={`/campaigns/${c.id}/edit${c.status === "draft" ? "" : "?step=sequence"}`}>{label}</Link>
    </Button>
  );
  const stop = (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" className="text-red-700 hover:bg-red-50">
          Stop
        </Button>
      }
      title={`Stop “${c.name}” for good?`}
      description="Nobody gets another e-mail from this campaign: waiting follow-ups are dropped and queued sends are cancelled. It cannot be resumed; pause it instead if you only need a break."
      intent="stop"
      confirmLabel="Stop campaign"
      onSuccess={() => onNotice("Campaign stopped. No further e-mails will be sent.")}
    />
  );
  if (c.status === "completed") return edit("View settings");
  return (
    <div className="flex flex-wrap items-center gap-2">
      {c.status === "draft" ? (
        <>
          {edit("Continue setup")}
          <LifecycleButton
            intent="launch"
            label="Launch"
            onDone={(r) => onNotice(`Campaign launched: ${formatNumber(r.enrolled)} leads enrolled.`)}
            onRefused={onRefused}
          />
        </>
      ) : (
        <>
          {c.status === "paused" ? (
            <LifecycleButton
              intent="resume"
              label="Resume"
              onDone={() => onNotice("Campaign resumed. Sends due while it was paused go out in the next window.")}
            />
          ) : (
            <LifecycleButton
              intent="pause"
              label="Pause"
              variant="secondary"
              onDone={() => onNotice("Campaign paused. Nothing more is sent until you resume it.")}
            />
          )}
          {edit("Edit")}
          {stop}
        </>
      )}
    </div>
  );
}

function LifecycleButton({
  intent,
  label,
  variant = "primary",
  onDone,
  onRefused,
}: {
  intent: "launch" | "pause" | "resume";
  label: string;
  variant?: "primary" | "secondary";
  onDone: (r: { status: string; enrolled: number }) => void;
  onRefused?: (issues: string[] | null) => void;
}) {
  const f = useActionForm<{ status: string; enrolled: number }>({ onSuccess: (d) => d.result && onDone(d.result) });
  const issues = f.data && !f.data.ok ? f.data.fieldErrors?.launch : undefined;
  // Hand a refused launch's checklist up, so it shows at full width under the header.
  const refusedRef = useRef(onRefused);
  refusedRef.current = onRefused;
  useEffect(() => {
    if (f.data && !f.data.ok) refusedRef.current?.(f.data.fieldErrors?.launch ?? null);
  }, [f.data]);
  return (
    <f.Form method="post" className="contents">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <Button type="submit" variant={variant} busy={f.busy}>
        {label}
      </Button>
      {f.formError && !issues ? (
        <p role="alert" className="w-full text-sm text-red-700">
          {f.formError}
        </p>
      ) : null}
    </f.Form>
  );
}
