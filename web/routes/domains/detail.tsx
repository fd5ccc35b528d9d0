import { useState } from "react";
import { data, Link, redirect } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { DnsRecordsTable } from "~/components/infra/dns-records";
import { HostedMailboxesCard } from "~/components/infra/hosted-mailboxes";
import { DomainStatusBadge } from "~/components/infra/status";
import { RouteError } from "~/components/leads/not-found";
import { Alert, EmptyState } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Checkbox } from "~/components/ui/checkbox";
import { ConfirmDialog } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { Notice, type NoticeMessage } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { DateTime, RelativeTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { applyDnsRecords } from "../../../workers/infra/apply-dns.ts";
import { getDomain, removeDomain } from "../../../workers/infra/domains.ts";
import { createHostedMailboxes } from "../../../workers/infra/hosted-mailboxes.ts";
import { verifyDomain } from "../../../workers/infra/verify.ts";
import { listMailboxes } from "../../../workers/mailboxes/service.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import { ApplyDnsForm, hostedForm } from "../infrastructure/forms.server";
import type { Route } from "./+types/detail";

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: `${loaderData?.domain.name ?? "Domain"} · Domains · PenguinMails` }];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const domain = await orHttp(getDomain(scope, params.domainId));
  const [workspaces, mailboxes] = await Promise.all([orHttp(listWorkspaces(scope)), orHttp(listMailboxes(scope, domain.workspaceId))]);
  const suffix = `@${domain.name}`;
  return {
    domain,
    workspace: workspaces.find((w) => w.id === domain.workspaceId)?.name ?? null,
    mailboxes: mailboxes
      .filter((m) => m.email.endsWith(suffix))
      .map((m) => ({ id: m.id, email: m.email, fromName: m.fromName, status: m.status, dailyLimit: m.dailyLimit })),
    canWrite: can(scope, "infra:write"),
  };
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} title="Domain" back={{ to: "/domains", label: "Back to domains" }} />;
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  const id = params.domainId;
  switch (form.get("intent")) {
    case "verify":
      return handleForm(form, z.object({}), () => verifyDomain(scope, id));
    case "apply":
      return handleForm(form, ApplyDnsForm, (input) => applyDnsRecords(scope, id, input));
    case "mailboxes": {
      const d = await orHttp(getDomain(scope, id));
      return handleForm(form, hostedForm(d.name), (input) => createHostedMailboxes(scope, { ...input, domainId: id }));
    }
    case "remove":
      return handleForm(form, z.object({ name: z.string().max(253).optional() }), async ({ name }) => {
        await removeDomain(scope, id);
        throw redirect(`/domains?${new URLSearchParams({ removed: name ?? "" })}`);
      });
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

type Loaded = Route.ComponentProps["loaderData"];
type Domain = Loaded["domain"];

/** "5 of 6 records found" after a check, in words for the notice. */
function verdict(d: Domain): NonNullable<NoticeMessage> {
  if (d.status === "verified") return { text: `All records found: ${d.name} is verified.` };
  return {
    text: `${d.recordsOk} of ${d.recordsTotal} records found. DNS changes can take up to 72 hours to show; we keep checking.`,
    tone: "warning",
  };
}

export default function DomainDetail({ loaderData }: Route.ComponentProps) {
  const { domain: d, workspace, mailboxes, canWrite } = loaderData;
  const [notice, setNotice] = useState<NoticeMessage>(null);
  const failing = d.records.filter((r) => r.managedAt === "zone" && r.purpose !== "tracking" && r.status !== "match");
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/domains" className="text-brand-700 hover:underline">
          ← Domains
        </Link>
      </nav>
      <PageHeader
        title={d.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <DomainStatusBadge status={d.status} />
            <span>
              {d.checkedAt ? `${d.recordsOk}/${d.recordsTotal} records found` : "Not checked yet"}
              {d.nodeHostname ? ` · on ${d.nodeHostname}` : ""}
              {workspace ? ` · in ${workspace}` : ""}
            </span>
          </span>
        }
        action={canWrite ? <VerifyButton onNotice={setNotice} /> : null}
      />
      <Notice notice={notice} />
      {d.status === "drift" ? (
        <Alert tone="error" title="DNS changed since the domain was verified">
          {failing.length
            ? `${failing.map((r) => r.type).join(", ")} ${failing.length === 1 ? "record no longer matches" : "records no longer match"}. Receivers may reject or spam-folder mail until it is fixed.`
            : "Some records no longer match."}{" "}
          Put the values below back, then choose “Verify now”.
        </Alert>
      ) : d.status === "pending" ? (
        <Alert tone="info" title="Publish these records at your DNS provider">
          Add each record below where {d.name}'s DNS is hosted (or let us do it on Cloudflare), then choose “Verify now”. Until they are
          found, receivers are likely to reject mail from this domain or file it as spam.
        </Alert>
      ) : null}

      <Card>
        <CardHeader
          title="DNS records"
          description="Some DNS providers want only the part of the name before your domain (e.g. default._domainkey instead of default._domainkey.acme.com)."
        />
        <CardBody className="flex flex-col gap-3">
          {d.records.length === 0 ? (
            <EmptyState title="No records yet">
              They appear once the domain is set up on its node (DKIM key generated). If this lasts, check the node under Infrastructure.
            </EmptyState>
          ) : (
            <DnsRecordsTable records={d.records} />
          )}
          <p className="text-sm text-slate-600">
            DNS changes can take up to 72 hours to propagate; we re-check{" "}
            {d.status === "verified" ? "every hour" : "on our own, then hourly"}.{" "}
            {d.checkedAt ? (
              <>
                Last checked <RelativeTime value={d.checkedAt} />
              </>
            ) : (
              "Not checked yet"
            )}
            ; next check <DateTime value={d.nextCheckAt} />.
            {d.verifiedAt ? (
              <>
                {" "}
                Verified since <DateTime value={d.verifiedAt} withTime={false} />.
              </>
            ) : null}
          </p>
        </CardBody>
      </Card>

      {canWrite ? <ApplyCard d={d} onNotice={setNotice} /> : null}

      <HostedMailboxesCard domain={d.name} mailboxes={mailboxes} canWrite={canWrite} />

      {canWrite ? <DangerZone d={d} /> : null}
    </div>
  );
}

function VerifyButton({ onNotice }: { onNotice: (m: NonNullable<NoticeMessage>) => void }) {
  const f = useActionForm<Domain>({ onSuccess: (r) => r.result && onNotice(verdict(r.result)) });
  return (
    <f.Form method="post" className="flex flex-col items-end gap-1">
      <CsrfInput />
      <input type="hidden" name="intent" value="verify" />
      <Button type="submit" busy={f.busy}>
        {f.busy ? "Checking DNS…" : "Verify now"}
      </Button>
      {f.formError ? (
        <p role="alert" className="max-w-72 text-sm text-red-700">
          {f.formError}
        </p>
      ) : null}
    </f.Form>
  );
}

function ApplyCard({ d, onNotice }: { d: Domain; onNotice: (m: NonNullable<NoticeMessage>) => void }) {
  const f = useActionForm<Domain>({
    onSuccess: (r) => {
      const el = f.formRef.current?.elements.namedItem("apiToken");
      if (el instanceof HTMLInputElement) el.value = "";
      if (r.result) onNotice({ ...verdict(r.result), text: `Records published on Cloudflare. ${verdict(r.result).text}` });
    },
  });
  const usedBefore = d.dnsProvider === "cloudflare";
  return (
    <Card>
      <CardHeader
        title="Apply with Cloudflare"
        description="If the domain's DNS is on Cloudflare, we create or update the records for you, then check them right away."
      />
      <CardBody>
        <f.Form method="post" ref={f.formRef} className="flex max-w-3xl flex-col gap-4" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="apply" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Zone id"
              name="zoneId"
              required
              maxLength={64}
              autoComplete="off"
              spellCheck={false}
              defaultValue={d.cloudflareZoneId ?? ""}
              hint="On the zone's Overview page in Cloudflare."
              error={f.fieldError("zoneId")}
            />
            <Field
              label="API token"
              name="apiToken"
              type="password"
              maxLength={200}
              autoComplete="off"
              spellCheck={false}
              hint={
                usedBefore
                  ? "Leave empty to use the token you asked us to remember. Needs Zone → DNS → Edit on this zone."
                  : "Needs Zone → DNS → Edit on this zone only."
              }
              error={f.fieldError("apiToken")}
            />
          </div>
          <Checkbox
            name="remember"
            label="Remember the token"
            description="Stored encrypted, so you can apply the records again later without pasting it. Otherwise it is used once and discarded."
          />
          <div>
            <Button type="submit" variant="secondary" busy={f.busy}>
              {f.busy ? "Publishing…" : "Publish records"}
            </Button>
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}

function DangerZone({ d }: { d: Domain }) {
  return (
    <Card className="border-red-200">
      <CardHeader title="Danger zone" />
      <CardBody className="flex flex-wrap items-center justify-between gap-4">
        <div className="max-w-2xl text-sm text-slate-600">
          <p className="font-medium text-slate-900">Remove {d.name}</p>
          <p>
            {d.mailboxes > 0
              ? `It still has ${d.mailboxes} ${d.mailboxes === 1 ? "mailbox" : "mailboxes"}: delete ${d.mailboxes === 1 ? "it" : "them"} first (from the Mailboxes page).`
              : "The domain and its DKIM key are deleted from the node. DNS records you published stay until you remove them."}
          </p>
        </div>
        {d.mailboxes > 0 ? (
          <Button variant="secondary" disabled className="text-red-700 opacity-50">
            Remove domain
          </Button>
        ) : (
          <ConfirmDialog
            trigger={
              <Button variant="secondary" className="text-red-700 hover:bg-red-50">
                Remove domain
              </Button>
            }
            title={`Remove ${d.name}?`}
            description="It is deleted from its node together with its DKIM key; a new domain with this name would get a new key. This cannot be undone."
            intent="remove"
            fields={{ name: d.name }}
            confirmLabel="Remove domain"
          />
        )}
      </CardBody>
    </Card>
  );
}
