import { useState } from "react";
import { data, Link, useNavigate, useNavigation } from "react-router";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { DomainStatusBadge } from "~/components/infra/status";
import { Alert, EmptyState, NoOrganization } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Field } from "~/components/ui/field";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { RelativeTime } from "~/components/ui/time";
import { NoWorkspace, WorkspaceFilter } from "~/components/workspace-scope";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { addDomain, listDomains, suggestDomains } from "../../../workers/infra/domains.ts";
import { listNodes } from "../../../workers/infra/nodes.ts";
import { isAppError } from "../../../workers/platform/errors.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import { AddDomainForm } from "../infrastructure/forms.server";
import type { Route } from "./+types/index";

export const meta: Route.MetaFunction = () => [{ title: "Domains · PenguinMails" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const sp = new URL(request.url).searchParams;
  const removed = sp.get("removed");
  const empty = { workspaces: [], domains: [], nodes: [], filter: null, suggest: null, canWrite: false, removed };
  if (!session.tenant) return { tenant: false as const, ...empty };
  const workspaces = await orHttp(listWorkspaces(scope));
  // A stale or foreign workspace id in the URL just means "all workspaces".
  const filter = workspaces.find((w) => w.id === sp.get("workspace"))?.id ?? null;
  const [domains, nodes] = await Promise.all([orHttp(listDomains(scope, filter ?? undefined)), orHttp(listNodes(scope))]);
  return {
    tenant: true as const,
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
    domains,
    nodes: nodes
      .filter((n) => n.status !== "decommissioned" && n.status !== "failed")
      .map((n) => ({ id: n.id, name: n.name, health: n.health, workspaceId: n.workspaceId })),
    filter,
    suggest: sp.get("suggest") ? suggestion(sp.get("suggest")!) : null,
    canWrite: can(scope, "infra:write"),
    removed,
  };
}

function suggestion(raw: string): { domain: string; suggestions: string[]; error: string | null } {
  try {
    return { ...suggestDomains(raw.slice(0, 253)), error: null };
  } catch (err) {
    return { domain: raw.slice(0, 253), suggestions: [], error: isAppError(err) ? err.message : "Not a domain name." };
  }
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  if (form.get("intent") !== "add") throw data("Unknown action.", { status: 400 });
  return handleForm(form, AddDomainForm, (input) => addDomain(scope, input));
}

type Loaded = Route.ComponentProps["loaderData"];
type Domain = Loaded["domains"][number];

export default function Domains({ loaderData }: Route.ComponentProps) {
  const { tenant, workspaces, domains, nodes, filter, suggest, canWrite, removed } = loaderData;
  const nav = useNavigation();
  const filtering = nav.state === "loading" && nav.location.pathname === "/domains";
  const wsName = new Map(workspaces.map((w) => [w.id, w.name]));
  const showWorkspace = !filter && workspaces.length > 1;
  const healthy = nodes.filter((n) => n.health === "healthy");
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Domains"
        description="The domains you send cold mail from. Each lives on one of your nodes with its own DKIM key; publish its DNS records and we check them every hour."
      />
      {removed !== null ? <Alert tone="success">{removed ? `${removed} was removed.` : "The domain was removed."}</Alert> : null}
      {!tenant ? (
        <NoOrganization />
      ) : workspaces.length === 0 ? (
        <NoWorkspace>Domains belong to a workspace. Create one first, or ask an admin to add you to one.</NoWorkspace>
      ) : (
        <>
          {nodes.length === 0 ? (
            <Alert tone="info" title="No sending node yet">
              Domains live on a node: a mail server of your own. Provision one first; you can add its first domain in the same step.{" "}
              <Link to="/infrastructure" className="font-medium underline">
                Go to Infrastructure
              </Link>
            </Alert>
          ) : healthy.length === 0 ? (
            <Alert tone="warning" title="No healthy node right now">
              New domains need a healthy node.{" "}
              <Link to="/infrastructure" className="font-medium underline">
                Check your nodes
              </Link>
            </Alert>
          ) : null}
          {workspaces.length > 1 && (domains.length > 0 || filter) ? (
            <WorkspaceFilter label="Filter domains" workspaces={workspaces} filter={filter} busy={filtering} />
          ) : null}
          <Card>
            <CardHeader
              title={`${domains.length} ${domains.length === 1 ? "domain" : "domains"}`}
              description="Verified means every required record (MX, mail host, SPF, DKIM, DMARC) was found as expected."
            />
            <CardBody className={domains.length ? "py-2" : undefined}>
              {domains.length === 0 ? (
                <EmptyState title={filter ? "No domains in this workspace" : "No sending domains yet"}>
                  {nodes.length === 0
                    ? "Provisioning a node sets up its first domain. Further domains can share that node."
                    : "Add one below: we create it on your node with a DKIM key and list the DNS records to publish."}
                </EmptyState>
              ) : (
                <DomainTable domains={domains} workspaces={showWorkspace ? wsName : null} />
              )}
            </CardBody>
          </Card>
          {canWrite && nodes.length > 0 ? (
            <AddDomainCard workspaces={workspaces} nodes={nodes} defaultWorkspace={filter} suggest={suggest} />
          ) : null}
        </>
      )}
    </div>
  );
}

function DomainTable({ domains, workspaces }: { domains: Domain[]; workspaces: Map<string, string> | null }) {
  return (
    <Table caption="Sending domains">
      <THead>
        <TR>
          <TH>Domain</TH>
          {workspaces ? <TH>Workspace</TH> : null}
          <TH>DNS</TH>
          <TH>Node</TH>
          <TH>Mailboxes</TH>
          <TH>Last checked</TH>
        </TR>
      </THead>
      <TBody>
        {domains.map((d) => (
          <TR key={d.id} className="hover:bg-slate-50">
            <TD>
              <Link to={`/domains/${d.id}`} className="break-all font-medium text-slate-900 hover:text-brand-700 hover:underline">
                {d.name}
              </Link>
            </TD>
            {workspaces ? <TD className="text-slate-600">{workspaces.get(d.workspaceId) ?? "—"}</TD> : null}
            <TD>
              <DomainStatusBadge status={d.status} />
              <p className="mt-1 text-xs tabular-nums text-slate-500">
                {d.checkedAt ? `${d.recordsOk}/${d.recordsTotal} records found` : `${d.recordsTotal} records, not checked yet`}
              </p>
            </TD>
            <TD className="break-all font-mono text-xs text-slate-700">{d.nodeHostname ?? "—"}</TD>
            <TD className="text-slate-700">{d.mailboxes}</TD>
            <TD className="whitespace-nowrap text-slate-600">{d.checkedAt ? <RelativeTime value={d.checkedAt} /> : "Not yet"}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

function AddDomainCard({
  workspaces,
  nodes,
  defaultWorkspace,
  suggest,
}: {
  workspaces: Loaded["workspaces"];
  nodes: Loaded["nodes"];
  defaultWorkspace: string | null;
  suggest: Loaded["suggest"];
}) {
  const navigate = useNavigate();
  const nav = useNavigation();
  const [name, setName] = useState(suggest?.domain ?? "");
  const f = useActionForm<Domain>({
    reset: true,
    onSuccess: () => {
      setName("");
      // The suggestions were for this domain; clear them from the URL too.
      if (suggest)
        navigate(defaultWorkspace ? `/domains?${new URLSearchParams({ workspace: defaultWorkspace })}` : "/domains", {
          replace: true,
          preventScrollReset: true,
        });
    },
  });
  const added = f.succeeded?.result;
  const suggesting = nav.state === "loading" && nav.location.search.includes("suggest=");
  const wsName = new Map(workspaces.map((w) => [w.id, w.name]));
  const nodeOptions = [
    { value: "", label: "Automatic (the one with most room)" },
    ...nodes
      .filter((n) => n.health === "healthy")
      .map((n) => ({ value: n.id, label: `${n.name}${n.workspaceId ? ` (only ${wsName.get(n.workspaceId) ?? "one workspace"})` : ""}` })),
  ];
  const askSuggestions = () => {
    const params = new URLSearchParams(defaultWorkspace ? { workspace: defaultWorkspace } : {});
    params.set("suggest", name.trim());
    navigate(`/domains?${params}`, { preventScrollReset: true, replace: true });
  };
  return (
    <Card>
      <CardHeader
        title="Add a domain"
        description="Put another sending domain on one of your nodes. Use a sub-domain, so cold mail never affects the domain your team writes from."
      />
      <CardBody className="flex flex-col gap-4">
        {added ? (
          <Alert tone="success">
            {added.name} was added with its DKIM key.{" "}
            <Link to={`/domains/${added.id}`} className="font-medium underline">
              Publish its DNS records
            </Link>
          </Alert>
        ) : null}
        <f.Form method="post" ref={f.formRef} className="flex max-w-3xl flex-col gap-4" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="flex flex-col gap-2">
              <Field
                label="Domain"
                name="name"
                required
                maxLength={253}
                placeholder="outreach.acme.com"
                autoCapitalize="off"
                autoComplete="off"
                spellCheck={false}
                value={name}
                onChange={(e) => setName(e.target.value)}
                hint="A sub-domain such as outreach.acme.com. Not sure? Type your main domain and ask for suggestions."
                error={f.fieldError("name")}
              />
              <div>
                <Button type="button" variant="secondary" size="sm" busy={suggesting} disabled={!name.trim()} onClick={askSuggestions}>
                  Suggest a sub-domain
                </Button>
              </div>
            </div>
            <div className="flex flex-col gap-4">
              <SelectField
                label="Workspace"
                name="workspaceId"
                options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
                defaultValue={defaultWorkspace ?? workspaces[0]?.id}
                error={f.fieldError("workspaceId")}
              />
              <SelectField
                label="Node"
                name="nodeId"
                options={nodeOptions}
                error={f.fieldError("nodeId")}
                hint="Only healthy nodes are listed; leave it on Automatic to use the least loaded one."
              />
            </div>
          </div>
          <div aria-live="polite">
            {suggest ? (
              suggest.error ? (
                <p className="text-sm text-red-700">{suggest.error}</p>
              ) : (
                <div className="flex flex-col gap-2 rounded-md border border-slate-200 bg-slate-50 px-4 py-3">
                  <p className="text-sm text-slate-700">
                    Sub-domains of <span className="font-medium">{suggest.domain}</span> to send from (choose one to use it):
                  </p>
                  <ul className="flex flex-wrap gap-2">
                    {suggest.suggestions.map((s) => (
                      <li key={s}>
                        <Button
                          type="button"
                          variant="secondary"
                          size="sm"
                          aria-pressed={name === s}
                          onClick={() => setName(s)}
                          className="font-mono"
                        >
                          {s}
                        </Button>
                      </li>
                    ))}
                  </ul>
                </div>
              )
            ) : null}
          </div>
          <div>
            <Button type="submit" busy={f.busy}>
              {f.busy ? "Adding…" : "Add domain"}
            </Button>
          </div>
        </f.Form>
        <p className="text-sm text-slate-500">
          Need a new server for it instead?{" "}
          <Link to="/infrastructure#provision" className="font-medium text-brand-700 hover:underline">
            Provision a node
          </Link>
          .
        </p>
      </CardBody>
    </Card>
  );
}
