import { useState } from "react";
import { data } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { Alert, EmptyState, NoOrganization } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { CopyButton } from "~/components/ui/copy-button";
import { ConfirmDialog } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { Notice, type NoticeMessage } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { DateTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import {
  addTrackingDomain,
  cnameTarget,
  listTrackingDomains,
  removeTrackingDomain,
  verifyTrackingDomain,
} from "../../../workers/tracking/domains.ts";
import type { Route } from "./+types/tracking-domains";

export const meta: Route.MetaFunction = () => [{ title: "Tracking domains · Settings · PenguinMails" }];

const AddForm = z.object({
  workspaceId: z.string().min(1, "Choose a workspace").max(64),
  hostname: z.string().trim().min(4, "Enter a host name such as track.yourcompany.com").max(253),
});
const IdForm = z.object({ id: z.string().min(1).max(64) });

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  if (!session.tenant) return { tenant: false as const, domains: [], workspaces: [], target: "", canWrite: false };
  const [domains, workspaces] = await Promise.all([orHttp(listTrackingDomains(scope)), orHttp(listWorkspaces(scope))]);
  return {
    tenant: true as const,
    domains,
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
    target: cnameTarget(scope),
    canWrite: can(scope, "campaigns:write"),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  switch (form.get("intent")) {
    case "add":
      return handleForm(form, AddForm, (input) => addTrackingDomain(scope, input));
    case "verify":
      return handleForm(form, IdForm, ({ id }) => verifyTrackingDomain(scope, id));
    case "remove":
      return handleForm(form, IdForm, ({ id }) => removeTrackingDomain(scope, id));
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

type Domain = Route.ComponentProps["loaderData"]["domains"][number];

const STATUS = {
  verified: { tone: "success", label: "Verified" },
  pending: { tone: "neutral", label: "Waiting for DNS" },
  failed: { tone: "danger", label: "Not pointing here" },
} as const;

export default function TrackingDomains({ loaderData }: Route.ComponentProps) {
  const { tenant, domains, workspaces, target, canWrite } = loaderData;
  const [notice, setNotice] = useState<NoticeMessage>(null);
  const names = new Map(workspaces.map((w) => [w.id, w.name]));
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Tracking domains"
        description="Open and click links on your own domain instead of ours. A shared tracking host is a spam signal; a branded one matches your sending domain."
      />
      {!tenant ? (
        <NoOrganization />
      ) : (
        <>
          <Notice notice={notice} />
          <Card>
            <CardHeader
              title="How it works"
              description="Add a sub-domain, create one DNS record at your DNS provider, then check it. Until it is verified, links keep using the default host."
            />
            <CardBody>
              <dl className="grid max-w-2xl grid-cols-[auto_1fr] items-center gap-x-6 gap-y-2 text-sm">
                <dt className="text-slate-500">Type</dt>
                <dd className="font-mono text-slate-900">CNAME</dd>
                <dt className="text-slate-500">Name</dt>
                <dd className="text-slate-900">
                  your sub-domain, e.g. <span className="font-mono">track</span>
                </dd>
                <dt className="text-slate-500">Target</dt>
                <dd className="flex items-center gap-2 text-slate-900">
                  <span className="font-mono">{target}</span> <CopyButton value={target} label="Copy target" />
                </dd>
              </dl>
            </CardBody>
          </Card>
          <Card>
            <CardHeader title={`Your tracking domains (${domains.length})`} />
            <CardBody className={domains.length ? "py-2" : undefined}>
              {domains.length === 0 ? (
                <EmptyState title="No tracking domains yet">
                  {canWrite ? "Add one below; each workspace uses its first verified domain." : "Ask an admin to add one."}
                </EmptyState>
              ) : (
                <Table caption="Tracking domains">
                  <THead>
                    <TR>
                      <TH>Host and workspace</TH>
                      <TH>Status</TH>
                      <TH>Last checked</TH>
                      {canWrite ? (
                        <TH>
                          <span className="sr-only">Actions</span>
                        </TH>
                      ) : null}
                    </TR>
                  </THead>
                  <TBody>
                    {domains.map((d) => (
                      <TR key={d.id}>
                        <TD>
                          <p className="font-mono font-medium text-slate-900">
                            {/* Long host names wrap at the dots, never inside a label. */}
                            {d.hostname.split(".").map((part, i) => (
                              // biome-ignore lint/suspicious/noArrayIndexKey: labels can repeat; position is the identity
                              <span key={i}>
                                {i ? "." : null}
                                <wbr />
                                {part}
                              </span>
                            ))}
                          </p>
                          <p className="text-xs text-slate-500">{names.get(d.workspaceId) ?? "—"}</p>
                          {d.lastError ? <p className="mt-0.5 text-xs text-red-700">{d.lastError}</p> : null}
                        </TD>
                        <TD>
                          <Badge tone={STATUS[d.status].tone}>{STATUS[d.status].label}</Badge>
                        </TD>
                        <TD className="whitespace-nowrap text-slate-600">{d.checkedAt ? <DateTime value={d.checkedAt} /> : "Never"}</TD>
                        {canWrite ? (
                          <TD>
                            <div className="flex justify-end gap-2 whitespace-nowrap">
                              <VerifyButton domain={d} onNotice={setNotice} />
                              <ConfirmDialog
                                trigger={
                                  <Button
                                    variant="ghost"
                                    size="sm"
                                    className="text-red-700 hover:bg-red-50"
                                    aria-label={`Remove ${d.hostname}`}
                                  >
                                    Remove
                                  </Button>
                                }
                                title={`Remove ${d.hostname}?`}
                                description="New messages go back to the default tracking host. Links in mail already sent through this host stop working once you delete its DNS record."
                                intent="remove"
                                fields={{ id: d.id }}
                                confirmLabel="Remove domain"
                                onSuccess={() => setNotice({ text: `${d.hostname} was removed.` })}
                              />
                            </div>
                          </TD>
                        ) : null}
                      </TR>
                    ))}
                  </TBody>
                </Table>
              )}
            </CardBody>
          </Card>
          {canWrite && workspaces.length > 0 ? <AddCard workspaces={workspaces} /> : null}
        </>
      )}
    </div>
  );
}

function VerifyButton({ domain: d, onNotice }: { domain: Domain; onNotice: (m: NonNullable<NoticeMessage>) => void }) {
  const f = useActionForm<Domain>({
    onSuccess: (r) =>
      onNotice(
        r.result?.status === "verified"
          ? { text: `${d.hostname} is verified; new messages use it for links.` }
          : { text: `${d.hostname} is not verified yet: ${r.result?.lastError ?? "see its row below."}`, tone: "warning" },
      ),
  });
  return (
    <f.Form method="post">
      <CsrfInput />
      <input type="hidden" name="intent" value="verify" />
      <input type="hidden" name="id" value={d.id} />
      <Button type="submit" variant="secondary" size="sm" busy={f.busy} aria-label={`Check DNS for ${d.hostname}`}>
        Check DNS
      </Button>
    </f.Form>
  );
}

function AddCard({ workspaces }: { workspaces: { id: string; name: string }[] }) {
  const f = useActionForm<Domain>({ reset: true });
  return (
    <Card>
      <CardHeader title="Add a tracking domain" description="Use a sub-domain of a domain you own; it only answers tracking links." />
      <CardBody>
        <f.Form method="post" ref={f.formRef} className="flex max-w-xl flex-col gap-4" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          {f.succeeded?.result ? (
            <Alert tone="success">{f.succeeded.result.hostname} added. Create the CNAME record, then choose “Check DNS”.</Alert>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Host name"
              name="hostname"
              required
              maxLength={253}
              placeholder="track.yourcompany.com"
              autoCapitalize="off"
              autoComplete="off"
              spellCheck={false}
              error={f.fieldError("hostname")}
            />
            <SelectField
              label="Workspace"
              name="workspaceId"
              options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
              error={f.fieldError("workspaceId")}
            />
          </div>
          <div>
            <Button type="submit" busy={f.busy}>
              Add domain
            </Button>
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}
