import type * as React from "react";
import { Link, useNavigation } from "react-router";
import { progressOf } from "~/components/campaigns/format";
import { useAutoRefresh } from "~/components/campaigns/refresh";
import { CampaignStatusBadge } from "~/components/campaigns/status";
import { formatNumber } from "~/components/leads/format";
import { Alert, EmptyState, NoOrganization } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody } from "~/components/ui/card";
import { PageHeader } from "~/components/ui/page-header";
import { ProgressBar } from "~/components/ui/progress";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { DateTime } from "~/components/ui/time";
import { NoWorkspace, WorkspaceFilter } from "~/components/workspace-scope";
import { scopeContext } from "~/lib/context";
import { orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { listCampaigns } from "../../../workers/campaigns/service.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/index";

export const meta: Route.MetaFunction = () => [{ title: "Campaigns · PenguinMails" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const sp = new URL(request.url).searchParams;
  const deleted = sp.get("deleted");
  if (!session.tenant) return { tenant: false as const, workspaces: [], campaigns: [], filter: null, canWrite: false, deleted };
  const workspaces = await orHttp(listWorkspaces(scope));
  const filter = workspaces.find((w) => w.id === sp.get("workspace"))?.id ?? null;
  return {
    tenant: true as const,
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
    campaigns: await orHttp(listCampaigns(scope, filter ?? undefined)),
    filter,
    canWrite: can(scope, "campaigns:write"),
    deleted,
  };
}

type Campaign = Route.ComponentProps["loaderData"]["campaigns"][number];

export default function Campaigns({ loaderData }: Route.ComponentProps) {
  const { tenant, workspaces, campaigns, filter, canWrite } = loaderData;
  const nav = useNavigation();
  const filtering = nav.state === "loading" && nav.location.pathname === "/campaigns";
  // SPEC §4.7.9: the list polls while something is sending.
  useAutoRefresh(campaigns.some((c) => c.status === "sending" || c.status === "scheduled") ? 30_000 : null);
  const wsName = new Map(workspaces.map((w) => [w.id, w.name]));
  const showWorkspace = !filter && workspaces.length > 1;
  const newHref = filter ? `/campaigns/new?${new URLSearchParams({ workspace: filter })}` : "/campaigns/new";
  const newButton =
    canWrite && workspaces.length ? (
      <Button asChild>
        <Link to={newHref}>New campaign</Link>
      </Button>
    ) : null;

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Campaigns"
        description="Sequences of up to seven e-mails, sent from your mailboxes inside a schedule, stopping when a lead replies."
        action={campaigns.length || filter ? newButton : null}
      />
      {!tenant ? (
        <NoOrganization />
      ) : workspaces.length === 0 ? (
        <NoWorkspace>
          Campaigns belong to a workspace (one per client or brand). Create one first, or ask an admin to add you to one.
        </NoWorkspace>
      ) : campaigns.length === 0 && !filter ? (
        <Intro action={newButton} />
      ) : (
        <>
          {workspaces.length > 1 ? (
            <WorkspaceFilter label="Filter campaigns" workspaces={workspaces} filter={filter} busy={filtering} />
          ) : null}
          {campaigns.length === 0 ? (
            <EmptyState title="No campaigns in this workspace" action={newButton}>
              Start one here, or pick another workspace.
            </EmptyState>
          ) : (
            <Card>
              <CardBody className="py-2">
                <Table caption="Campaigns">
                  <THead>
                    <TR>
                      <TH>Name</TH>
                      <TH>Status</TH>
                      <TH className="w-48">Progress</TH>
                      <TH className="text-right">Sent</TH>
                      <TH className="text-right">Bounced</TH>
                      <TH className="text-right">Failed</TH>
                      <TH className="text-right">Launched</TH>
                    </TR>
                  </THead>
                  <TBody>
                    {campaigns.map((c) => (
                      <Row key={c.id} c={c} workspace={showWorkspace ? (wsName.get(c.workspaceId) ?? null) : null} />
                    ))}
                  </TBody>
                </Table>
              </CardBody>
            </Card>
          )}
          {campaigns.length >= 200 ? <Alert tone="info">Showing the 200 newest campaigns.</Alert> : null}
        </>
      )}
    </div>
  );
}

function Row({ c, workspace }: { c: Campaign; workspace: string | null }) {
  const s = c.stats;
  const pct = progressOf(s);
  return (
    <TR className="hover:bg-slate-50">
      <TD>
        <Link
          to={c.status === "draft" ? `/campaigns/${c.id}/edit` : `/campaigns/${c.id}`}
          className="break-words font-medium text-slate-900 hover:text-brand-700 hover:underline"
        >
          {c.name}
        </Link>
        {workspace ? <p className="text-xs text-slate-500">{workspace}</p> : null}
      </TD>
      <TD>
        <CampaignStatusBadge status={c.status} />
      </TD>
      <TD>
        {c.status === "draft" ? (
          <span className="text-xs text-slate-500">Not launched</span>
        ) : (
          <div className="flex flex-col gap-1">
            <ProgressBar
              value={pct}
              className="h-1.5"
              tone={c.status === "completed" ? "success" : "brand"}
              label={`Progress of ${c.name}`}
              valueText={`${formatNumber(s.enrolled - s.active)} of ${formatNumber(s.enrolled)} leads finished`}
            />
            <span className="text-xs tabular-nums text-slate-500">
              {formatNumber(s.enrolled - s.active)} / {formatNumber(s.enrolled)} leads done
            </span>
          </div>
        )}
      </TD>
      <TD className="text-right tabular-nums">{formatNumber(s.sent)}</TD>
      <TD className={s.bounced ? "text-right tabular-nums text-red-700" : "text-right tabular-nums text-slate-500"}>
        {formatNumber(s.bounced)}
      </TD>
      <TD className={s.failed ? "text-right tabular-nums text-red-700" : "text-right tabular-nums text-slate-500"}>
        {formatNumber(s.failed)}
      </TD>
      <TD className="whitespace-nowrap text-right text-slate-600">
        {c.launchedAt ? <DateTime value={c.launchedAt} withTime={false} /> : <span className="text-slate-400">—</span>}
      </TD>
    </TR>
  );
}

function Intro({ action }: { action: React.ReactNode }) {
  const steps = [
    ["Audience", "Pick lead lists from the workspace. Unsubscribed, bounced and suppressed leads are skipped."],
    ["Sequence", "Up to seven e-mails with waits between them, A/B variants, merge fields and spintax."],
    ["Mailboxes and schedule", "Rotate across your mailboxes within their daily limits, on the days and hours you choose."],
  ];
  return (
    <Card>
      <CardBody className="flex flex-col gap-5 py-8 sm:px-8">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">No campaigns yet</h2>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            A campaign writes to a list of leads from your mailboxes, one step at a time, and stops for anyone who replies. Drafts save as
            you go, so you can set one up now and launch it later.
          </p>
        </div>
        <ol className="grid gap-3 sm:grid-cols-3">
          {steps.map(([title, text], i) => (
            <li key={title} className="rounded-lg border border-slate-200 p-4">
              <p className="text-sm font-medium text-slate-900">
                <span className="mr-1.5 text-brand-700">{i + 1}.</span>
                {title}
              </p>
              <p className="mt-1 text-sm text-slate-600">{text}</p>
            </li>
          ))}
        </ol>
        {action ? <div>{action}</div> : <p className="text-sm text-slate-500">You can view campaigns; ask an admin to create one.</p>}
      </CardBody>
    </Card>
  );
}
