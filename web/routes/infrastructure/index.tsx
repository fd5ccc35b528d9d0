import type * as React from "react";
import { useState } from "react";
import { data, Link, redirect } from "react-router";
import { z } from "zod";
import { useAutoRefresh } from "~/components/campaigns/refresh";
import { NodeTable } from "~/components/infra/node-table";
import { ProvisionForm } from "~/components/infra/provision-form";
import { RunsTable } from "~/components/infra/runs-table";
import { Alert, EmptyState, NoOrganization } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Notice, type NoticeMessage } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { RelativeTime } from "~/components/ui/time";
import { NoWorkspace } from "~/components/workspace-scope";
import { envContext, scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { listNodes, setNodeMaintenance } from "../../../workers/infra/nodes.ts";
import { listRuns, startProvisioning } from "../../../workers/infra/provisioning.ts";
import { infraStatus } from "../../../workers/infra/sync.ts";
import { listMailboxes } from "../../../workers/mailboxes/service.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/index";
import { ProvisionForm as ProvisionInput } from "./forms.server";

export const meta: Route.MetaFunction = () => [{ title: "Infrastructure · PenguinMails" }];

const MaintenanceForm = z.object({ nodeId: z.string().min(1).max(64), maintenance: z.enum(["on", "off"]) });

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const now = Date.now();
  if (!session.tenant)
    return { tenant: false as const, status: null, nodes: [], runs: [], workspaces: [], planned: {}, canWrite: false, now };
  const [status, nodes, runs, workspaces, mailboxes] = await Promise.all([
    orHttp(infraStatus(scope)),
    orHttp(listNodes(scope)),
    orHttp(listRuns(scope)),
    orHttp(listWorkspaces(scope)),
    orHttp(listMailboxes(scope)),
  ]);
  // Planned volume per node: the daily limits of the hosted mailboxes it serves.
  const planned: Record<string, number> = {};
  for (const n of nodes.filter((n) => n.status !== "failed" && n.status !== "decommissioned"))
    planned[n.id] = mailboxes.filter((m) => m.provider === "mailu" && m.smtpHost === n.hostname).reduce((t, m) => t + m.dailyLimit, 0);
  return {
    tenant: true as const,
    status,
    nodes,
    runs,
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
    planned,
    canWrite: can(scope, "infra:write"),
    now,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  switch (form.get("intent")) {
    case "provision":
      return handleForm(form, ProvisionInput, async (input) => {
        const run = await startProvisioning(scope, input, context.get(envContext).PROVISION);
        throw redirect(`/infrastructure/runs/${run.id}`);
      });
    case "maintenance":
      return handleForm(form, MaintenanceForm, ({ nodeId, maintenance }) => setNodeMaintenance(scope, nodeId, maintenance === "on"));
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

type Loaded = Route.ComponentProps["loaderData"];

export default function Infrastructure({ loaderData }: Route.ComponentProps) {
  const { tenant, status, nodes, runs, workspaces, planned, canWrite, now } = loaderData;
  const [notice, setNotice] = useState<NoticeMessage>(null);
  const busy = runs.some((r) => r.status === "running") || nodes.some((n) => n.health === "provisioning");
  // Health comes from a 30-second heartbeat: refresh on that rhythm, faster while a node is being built.
  useAutoRefresh(tenant ? (busy ? 5_000 : 30_000) : null);
  const wsName = new Map(workspaces.map((w) => [w.id, w.name]));
  const live = nodes.filter((n) => n.status !== "failed" && n.status !== "decommissioned");
  const retired = nodes.filter((n) => n.status === "failed" || n.status === "decommissioned");
  const table = (list: typeof nodes, caption: string) => (
    <NodeTable
      caption={caption}
      nodes={list}
      planned={planned}
      workspaces={wsName}
      now={now}
      canWrite={canWrite}
      onNotice={(text) => setNotice({ text })}
    />
  );
  const runsCard = (
    <Card>
      <CardHeader title="Provisioning runs" description="The last 20, newest first. Open one to follow it step by step." />
      <CardBody className={runs.length ? "py-2" : undefined}>
        {runs.length === 0 ? (
          <EmptyState title="No runs yet">Every node you provision shows up here with its progress and log.</EmptyState>
        ) : (
          <RunsTable runs={runs} />
        )}
      </CardBody>
    </Card>
  );
  const provision =
    canWrite && workspaces.length ? (
      <Card id="provision">
        <CardHeader
          title="Provision a node"
          description={
            live.length
              ? "A node is a server of your own (a Hostwinds VPS running MailU) with its own IP address. It sends for the domains you put on it."
              : "Fill this in to order your first node; you can follow every step once it starts."
          }
        />
        <CardBody>
          <ProvisionForm workspaces={workspaces} />
        </CardBody>
      </Card>
    ) : null;

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Infrastructure"
        description="Your sending servers, their health and the runs that set them up. Domains and mailboxes on them are managed under Domains."
      />
      {!tenant || !status ? (
        <NoOrganization />
      ) : workspaces.length === 0 ? (
        <NoWorkspace>Nodes send for a workspace's domains. Create a workspace first, or ask an admin to add you to one.</NoWorkspace>
      ) : (
        <>
          <Notice notice={notice} />
          <Summary status={status} />
          {live.length === 0 ? (
            <>
              <Intro canWrite={canWrite} />
              {provision}
              {runs.length ? runsCard : null}
            </>
          ) : (
            <>
              <Card>
                <CardHeader
                  title={`${live.length} ${live.length === 1 ? "node" : "nodes"}`}
                  description="Each node heartbeats every 30 seconds; three missed and it leaves rotation until it is back."
                />
                <CardBody className="py-2">{table(live, "Sending nodes")}</CardBody>
              </Card>
              {runsCard}
              {provision}
            </>
          )}
          {retired.length ? (
            <details className="group rounded-lg border border-slate-200 bg-white shadow-xs">
              <summary className="cursor-pointer rounded-lg px-5 py-3 text-sm font-medium text-slate-800">
                Failed and removed nodes ({retired.length})
              </summary>
              <div className="border-t border-slate-100 px-5 py-2">{table(retired, "Failed and removed nodes")}</div>
            </details>
          ) : null}
        </>
      )}
    </div>
  );
}

function Summary({ status }: { status: NonNullable<Loaded["status"]> }) {
  const { nodes: n, domains: d, lastSync } = status;
  // Live nodes that are neither healthy, unhealthy nor being built are in maintenance.
  const maintenance = n.total - n.healthy - n.unhealthy - n.provisioning;
  return (
    <section aria-labelledby="summary-heading">
      <h2 id="summary-heading" className="sr-only">
        Summary
      </h2>
      <div className="grid gap-3 sm:grid-cols-3">
        <SummaryCard label="Nodes" value={n.total ? `${n.healthy} of ${n.total} healthy` : "None yet"}>
          {n.unhealthy ? <Badge tone="danger">{n.unhealthy} unhealthy</Badge> : null}
          {n.provisioning ? <Badge tone="brand">{n.provisioning} provisioning</Badge> : null}
          {maintenance > 0 ? <Badge tone="warning">{maintenance} in maintenance</Badge> : null}
          {n.total && n.healthy === n.total ? <span>All in rotation</span> : null}
        </SummaryCard>
        <SummaryCard label="Sending domains" value={d.total ? `${d.verified} of ${d.total} verified` : "None yet"}>
          {d.pending ? <Badge tone="warning">{d.pending} waiting for DNS</Badge> : null}
          {d.drift ? <Badge tone="danger">{d.drift} DNS changed</Badge> : null}
          <Link to="/domains" className="font-medium text-brand-700 hover:underline">
            View domains
          </Link>
        </SummaryCard>
        <SummaryCard
          label="Provider sync"
          value={
            lastSync ? (
              <>
                Last run <RelativeTime value={lastSync.at} />
              </>
            ) : (
              "Not run yet"
            )
          }
        >
          {lastSync ? (
            <Badge tone={lastSync.status === "ok" ? "success" : lastSync.status === "error" ? "danger" : "brand"}>
              {lastSync.status === "ok" ? "In step with Hostwinds" : lastSync.status === "error" ? "Failed" : "Running"}
            </Badge>
          ) : (
            <span>Every night we compare your nodes with Hostwinds.</span>
          )}
          {lastSync?.error ? <span className="w-full break-words text-red-700">{lastSync.error}</span> : null}
        </SummaryCard>
      </div>
    </section>
  );
}

function SummaryCard({ label, value, children }: { label: string; value: React.ReactNode; children?: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-xs">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-lg font-semibold text-slate-900">{value}</p>
      <div className="mt-1.5 flex flex-wrap items-center gap-2 text-xs text-slate-500">{children}</div>
    </div>
  );
}

function Intro({ canWrite }: { canWrite: boolean }) {
  return (
    <Card>
      <CardBody className="flex flex-col gap-5 py-8 sm:px-8">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">Set up your first sending node</h2>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            A node is a mail server of your own: a virtual server at Hostwinds running MailU, with a dedicated IP address and reverse DNS
            set to match. Your sending domains live on it with their own DKIM keys, and hosted mailboxes are created on it for you. We build
            it, watch it every 30 seconds and take it out of rotation if it stops answering.
          </p>
        </div>
        <ol className="grid gap-3 sm:grid-cols-3">
          <li className="rounded-lg border border-slate-200 p-4">
            <p className="text-sm font-medium text-slate-900">1. Choose a domain</p>
            <p className="mt-1 text-sm text-slate-600">A sub-domain such as outreach.acme.com keeps your main domain's reputation safe.</p>
          </li>
          <li className="rounded-lg border border-slate-200 p-4">
            <p className="text-sm font-medium text-slate-900">2. We build the node</p>
            <p className="mt-1 text-sm text-slate-600">Server, IP, reverse DNS, MailU, DKIM key: about 10–30 minutes, every step shown.</p>
          </li>
          <li className="rounded-lg border border-slate-200 p-4">
            <p className="text-sm font-medium text-slate-900">3. Publish DNS and send</p>
            <p className="mt-1 text-sm text-slate-600">Copy the records (or let us publish them on Cloudflare), then add mailboxes.</p>
          </li>
        </ol>
        {canWrite ? null : (
          <Alert tone="info">Only organization owners and admins can provision nodes. Ask one of them to set one up.</Alert>
        )}
      </CardBody>
    </Card>
  );
}
