import type * as React from "react";
import { useState } from "react";
import { data, Form, Link, useNavigation } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { formatNumber, plural } from "~/components/leads/format";
import { KeysetPager, readPaging, useCleanGetSubmit } from "~/components/leads/pager";
import { SUPPRESSION_REASON_LABEL } from "~/components/leads/status";
import { Alert, EmptyState, NoOrganization } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { ConfirmDialog } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { TextareaField } from "~/components/ui/textarea";
import { DateTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../workers/auth/permissions.ts";
import type { MailDecision } from "../../workers/suppression/may-mail.ts";
import { AddSuppressionInput } from "../../workers/suppression/schemas.ts";
import {
  addSuppression,
  checkAddress,
  importSuppressions,
  listSuppressions,
  removeSuppression,
} from "../../workers/suppression/service.ts";
import { SUPPRESSION_REASONS, SUPPRESSION_SCOPES } from "../../workers/suppression/tables.ts";
import { listWorkspaces } from "../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/suppression";

export const meta: Route.MetaFunction = () => [{ title: "Suppression · PenguinMails" }];

const PAGE_SIZE = 50;
const MAX_LINES = 10_000;

const Filters = z.object({
  q: z.string().trim().max(254).optional().catch(undefined),
  scope: z.enum(SUPPRESSION_SCOPES).optional().catch(undefined),
  reason: z.enum(SUPPRESSION_REASONS).optional().catch(undefined),
});
type Filters = z.infer<typeof Filters>;
const FILTER_KEYS = ["q", "scope", "reason"] as const;

function filterParams(f: Filters) {
  const sp = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k]) sp.set(k, f[k]!);
  return sp;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  if (!session.tenant) return { tenant: null } as const;
  const url = new URL(request.url);
  const filters = Filters.parse(Object.fromEntries(FILTER_KEYS.map((k) => [k, url.searchParams.get(k)?.trim() || undefined])));
  const paging = readPaging(url);
  const [workspaces, page] = await Promise.all([
    orHttp(listWorkspaces(scope)),
    orHttp(listSuppressions(scope, { ...filters, limit: PAGE_SIZE, cursor: paging.cursor })),
  ]);
  return {
    tenant: session.tenant,
    filters,
    paging,
    filtered: FILTER_KEYS.some((k) => filters[k]),
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
    canWrite: can(scope, "leads:write"),
    ...page,
  };
}

/** Blank optional fields are "not given"; a tenant-wide entry ignores the workspace select. */
const strip = (raw: unknown) => {
  const r = Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" && v.trim() === "" ? undefined : v]),
  );
  if (r.scope !== "workspace") delete r.workspaceId;
  return r;
};
const AddForm = z.preprocess(
  strip,
  AddSuppressionInput.extend({
    value: z.string({ error: "Enter an address or a domain" }).trim().min(3, "Enter an address or a domain").max(254),
  }),
);
const BulkForm = z.preprocess(
  strip,
  z.object({
    values: z
      .string({ error: "Paste at least one address or domain" })
      .transform((s) =>
        s
          .split(/\r?\n/)
          // A pasted CSV line counts by its first cell.
          .map((line) =>
            line
              .split(/[,;\t]/)[0]!
              .trim()
              .replace(/^"|"$/g, ""),
          )
          .filter(Boolean),
      )
      .pipe(
        z
          .array(z.string().max(1000))
          .min(1, "Paste at least one address or domain")
          .max(MAX_LINES, `Paste at most ${formatNumber(MAX_LINES)} lines at a time`),
      ),
    scope: AddSuppressionInput.shape.scope,
    workspaceId: AddSuppressionInput.shape.workspaceId,
    reason: AddSuppressionInput.shape.reason,
  }),
);
const CheckForm = z.object({
  workspaceId: z.string({ error: "Choose a workspace" }).min(1, "Choose a workspace").max(64),
  email: z.string({ error: "Enter an e-mail address" }).trim().min(1, "Enter an e-mail address").max(254),
});

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  switch (form.get("intent")) {
    case "add":
      return handleForm(form, AddForm, (input) => addSuppression(scope, input));
    case "bulk":
      return handleForm(form, BulkForm, (input) => importSuppressions(scope, input));
    case "check":
      return handleForm(form, CheckForm, async ({ workspaceId, email }) => ({
        email,
        workspaceId,
        decision: await checkAddress(scope, workspaceId, email),
      }));
    case "remove":
      return handleForm(form, z.object({ id: z.string().min(1).max(64) }), ({ id }) => removeSuppression(scope, id));
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

type Loaded = Exclude<Route.ComponentProps["loaderData"], { tenant: null }>;
type Entry = Loaded["items"][number];
type Workspace = Loaded["workspaces"][number];

const REASON_FILTER = [
  { value: "", label: "Any reason" },
  ...SUPPRESSION_REASONS.map((r) => ({ value: r, label: SUPPRESSION_REASON_LABEL[r] ?? r })),
];
const REASON_INPUT = (["manual", "unsubscribed", "hard_bounce", "complaint", "imported"] as const).map((r) => ({
  value: r,
  label: SUPPRESSION_REASON_LABEL[r] ?? r,
}));
const SCOPE_FILTER = [
  { value: "", label: "Every scope" },
  { value: "global", label: "Platform" },
  { value: "tenant", label: "Organization" },
  { value: "workspace", label: "Workspace" },
];

export default function Suppression({ loaderData }: Route.ComponentProps) {
  const [notice, setNotice] = useState<React.ReactNode>(null);
  if (!loaderData.tenant) {
    return (
      <div className="flex flex-col gap-6">
        <PageHeader title="Suppression" />
        <NoOrganization />
      </div>
    );
  }
  const d = loaderData;
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <PageHeader
        title="Suppression"
        description="Addresses and whole domains your campaigns never e-mail: unsubscribes, bounces, complaints and anyone you add here. Every send is checked against this list, including the platform-wide one."
      />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <CheckCard workspaces={d.workspaces} />
        {d.canWrite ? <AddCard workspaces={d.workspaces} /> : null}
      </div>
      <EntriesCard data={d} onNotice={setNotice} />
      {d.canWrite ? <BulkCard workspaces={d.workspaces} /> : null}
    </div>
  );
}

function ScopeBadge({ entry, workspaces }: { entry: Entry; workspaces: Workspace[] }) {
  if (entry.scope === "global")
    return (
      <Badge tone="brand" title="Platform-wide: applies to every PenguinMails customer and cannot be removed">
        <svg aria-hidden="true" viewBox="0 0 20 20" className="-ml-0.5 mr-1 size-3" fill="currentColor">
          <path d="M10 2a4 4 0 0 0-4 4v2H5a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V9a1 1 0 0 0-1-1h-1V6a4 4 0 0 0-4-4Zm-2 6V6a2 2 0 1 1 4 0v2H8Z" />
        </svg>
        Platform
      </Badge>
    );
  if (entry.scope === "tenant") return <Badge>Organization</Badge>;
  return <Badge tone="warning">Workspace: {workspaces.find((w) => w.id === entry.workspaceId)?.name ?? "other"}</Badge>;
}

function EntriesCard({ data: d, onNotice }: { data: Loaded; onNotice: (m: React.ReactNode) => void }) {
  const nav = useNavigation();
  const busy = nav.state === "loading" && nav.location.pathname === "/suppression";
  const f = d.filters;
  const onSubmit = useCleanGetSubmit();
  return (
    <Card>
      <CardHeader
        title="Entries"
        description="Newest first. Platform entries (spam traps, abuse, complaints across customers) are read-only."
      />
      <CardBody className="flex flex-col gap-4">
        <Form
          method="get"
          role="search"
          aria-label="Filter suppression entries"
          className="flex flex-wrap items-end gap-3"
          key={filterParams(f).toString()}
          onSubmit={onSubmit}
        >
          <Field
            label="Search"
            name="q"
            type="search"
            defaultValue={f.q ?? ""}
            placeholder="Address or domain"
            maxLength={254}
            className="min-w-56 flex-1"
          />
          <SelectField label="Scope" name="scope" defaultValue={f.scope ?? ""} options={SCOPE_FILTER} className="w-44" />
          <SelectField label="Reason" name="reason" defaultValue={f.reason ?? ""} options={REASON_FILTER} className="w-44" />
          <div className="flex gap-2">
            <Button type="submit" variant="secondary" busy={busy}>
              Apply filters
            </Button>
            {d.filtered ? (
              <Button asChild variant="ghost">
                <Link to="/suppression">Clear</Link>
              </Button>
            ) : null}
          </div>
        </Form>
        {d.items.length === 0 ? (
          <EmptyState
            title={d.filtered ? "No entries match these filters" : d.paging.cursor ? "No more entries" : "Nothing suppressed yet"}
            action={
              d.filtered || d.paging.cursor ? (
                <Link to="/suppression" className="text-sm font-medium text-brand-700 underline">
                  Show all entries
                </Link>
              ) : null
            }
          >
            {d.filtered
              ? "Try another search or scope."
              : "Unsubscribes, hard bounces and complaints land here automatically. Add competitors or existing customers by hand."}
          </EmptyState>
        ) : (
          <>
            <Table caption="Suppression entries, newest first" className="min-w-[52rem]">
              <THead>
                <TR>
                  <TH>Address or domain</TH>
                  <TH>Kind</TH>
                  <TH>Scope</TH>
                  <TH>Reason</TH>
                  <TH>Note</TH>
                  <TH>Added</TH>
                  {d.canWrite ? (
                    <TH>
                      <span className="sr-only">Actions</span>
                    </TH>
                  ) : null}
                </TR>
              </THead>
              <TBody>
                {d.items.map((e) => (
                  <TR key={e.id} className="align-middle">
                    <TD className="max-w-[18rem] break-all font-mono text-[13px] text-slate-900">
                      {e.kind === "domain" ? `@${e.value}` : e.value}
                    </TD>
                    <TD className="text-slate-600">{e.kind === "domain" ? "Whole domain" : "Address"}</TD>
                    <TD>
                      <ScopeBadge entry={e} workspaces={d.workspaces} />
                    </TD>
                    <TD className="whitespace-nowrap text-slate-700">{SUPPRESSION_REASON_LABEL[e.reason] ?? e.reason}</TD>
                    <TD className="max-w-[14rem] text-slate-600">{e.note || <span className="text-slate-400">—</span>}</TD>
                    <TD className="whitespace-nowrap text-slate-600">
                      <DateTime value={e.createdAt} withTime={false} />
                    </TD>
                    {d.canWrite ? (
                      <TD className="text-right">
                        {e.scope === "global" ? (
                          <span className="text-xs text-slate-400">Read-only</span>
                        ) : (
                          <ConfirmDialog
                            trigger={
                              <Button variant="ghost" size="sm" className="text-red-700 hover:bg-red-50" aria-label={`Remove ${e.value}`}>
                                Remove
                              </Button>
                            }
                            title={`Remove ${e.kind === "domain" ? `@${e.value}` : e.value}?`}
                            description={
                              e.reason === "unsubscribed" || e.reason === "complaint"
                                ? "This person asked not to be contacted. Only remove the entry if they explicitly opted in again."
                                : "Campaigns may e-mail it again. You can add it back at any time."
                            }
                            intent="remove"
                            fields={{ id: e.id }}
                            confirmLabel="Remove entry"
                            onSuccess={() =>
                              onNotice(`${e.kind === "domain" ? `@${e.value}` : e.value} was removed from the suppression list.`)
                            }
                          />
                        )}
                      </TD>
                    ) : null}
                  </TR>
                ))}
              </TBody>
            </Table>
            <KeysetPager
              filters={filterParams(f)}
              paging={d.paging}
              nextCursor={d.nextCursor}
              shown={d.items.length}
              pageSize={PAGE_SIZE}
              noun="Entries"
              label="Suppression pages"
            />
          </>
        )}
      </CardBody>
    </Card>
  );
}

/** Scope radio + workspace select, shared by the single and bulk forms. */
function ScopeFields({ workspaces, error }: { workspaces: Workspace[]; error?: (name: string) => string | undefined }) {
  const [scope, setScope] = useState<"tenant" | "workspace">("tenant");
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="text-sm font-medium text-slate-800">Applies to</legend>
      <div className="flex flex-wrap gap-x-5 gap-y-2 pt-1 text-sm">
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="scope"
            value="tenant"
            checked={scope === "tenant"}
            onChange={() => setScope("tenant")}
            className="size-4 accent-brand-600"
          />
          The whole organization
        </label>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="scope"
            value="workspace"
            checked={scope === "workspace"}
            onChange={() => setScope("workspace")}
            className="size-4 accent-brand-600"
          />
          One workspace
        </label>
      </div>
      {scope === "workspace" ? (
        <SelectField
          label="Workspace"
          name="workspaceId"
          defaultValue={workspaces[0]?.id}
          options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
          error={error?.("workspaceId")}
        />
      ) : null}
    </fieldset>
  );
}

function AddCard({ workspaces }: { workspaces: Workspace[] }) {
  const f = useActionForm<Entry>({ reset: true });
  const added = f.succeeded?.result;
  return (
    <Card>
      <CardHeader title="Add an entry" description="An e-mail address, or a whole domain such as @competitor.com." />
      <CardBody>
        <f.Form method="post" ref={f.formRef} className="flex flex-col gap-4" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          {added ? (
            <Alert tone="success">{`${added.kind === "domain" ? `@${added.value}` : added.value} is now suppressed. Campaigns will skip it.`}</Alert>
          ) : null}
          <Field
            label="Address or domain"
            name="value"
            required
            maxLength={254}
            placeholder="jane@example.com or @competitor.com"
            autoComplete="off"
            spellCheck={false}
            error={f.fieldError("value")}
          />
          <ScopeFields workspaces={workspaces} error={f.fieldError} />
          <div className="grid gap-4 sm:grid-cols-[12rem_1fr]">
            <SelectField label="Reason" name="reason" defaultValue="manual" options={REASON_INPUT} error={f.fieldError("reason")} />
            <Field label="Note (optional)" name="note" maxLength={500} placeholder="Existing customer" error={f.fieldError("note")} />
          </div>
          <div>
            <Button type="submit" busy={f.busy}>
              Suppress
            </Button>
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}

type BulkResult = { added: number; alreadyPresent: number; invalid: string[]; invalidCount: number };

function BulkCard({ workspaces }: { workspaces: Workspace[] }) {
  const f = useActionForm<BulkResult>({ reset: true });
  const r = f.succeeded?.result;
  return (
    <Card>
      <CardHeader
        title="Add many at once"
        description={`Paste one address or domain per line (up to ${formatNumber(MAX_LINES)}), e.g. your customer list or an unsubscribe export from another tool.`}
      />
      <CardBody>
        <f.Form method="post" ref={f.formRef} className="grid gap-5 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="bulk" />
          <TextareaField
            label="Addresses and domains"
            name="values"
            rows={8}
            required
            spellCheck={false}
            placeholder={"ceo@customer.com\n@competitor.com\nold-list.example"}
            hint="Only the first column of a pasted CSV line is used."
            error={f.fieldError("values")}
          />
          <div className="flex flex-col gap-4">
            {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
            <ScopeFields workspaces={workspaces} error={f.fieldError} />
            <SelectField label="Reason" name="reason" defaultValue="imported" options={REASON_INPUT} error={f.fieldError("reason")} />
            <div>
              <Button type="submit" busy={f.busy}>
                Add to suppression
              </Button>
            </div>
            {r ? (
              <Alert tone={r.invalidCount ? "warning" : "success"} title="Done">
                <ul className="flex flex-col gap-0.5">
                  <li>{plural(r.added, "entry", "entries")} added</li>
                  <li>{formatNumber(r.alreadyPresent)} already on the list</li>
                  {r.invalidCount ? (
                    <li>
                      {formatNumber(r.invalidCount)} not valid, e.g.{" "}
                      {r.invalid.slice(0, 5).map((v, i) => (
                        <span key={v}>
                          {i ? ", " : ""}
                          <code className="rounded bg-white/70 px-1 text-xs">{v}</code>
                        </span>
                      ))}
                    </li>
                  ) : null}
                </ul>
              </Alert>
            ) : null}
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}

function describe(d: MailDecision): string {
  switch (d.reason) {
    case "invalid_address":
      return "This is not a valid e-mail address.";
    case "suppressed": {
      const where =
        d.scope === "global" ? "the platform-wide list" : d.scope === "tenant" ? "your organization's list" : "this workspace's list";
      return `It is on ${where}${d.suppressionReason ? ` (${(SUPPRESSION_REASON_LABEL[d.suppressionReason] ?? d.suppressionReason).toLowerCase()})` : ""}.`;
    }
    case "lead_unsubscribed":
      return "The lead unsubscribed.";
    case "lead_bounced":
      return "E-mail to this lead bounced before.";
    case "lead_complained":
      return "The lead marked one of your e-mails as spam.";
    default:
      return "It is blocked.";
  }
}

function CheckCard({ workspaces }: { workspaces: Workspace[] }) {
  const f = useActionForm<{ email: string; workspaceId: string; decision: MailDecision }>();
  const r = f.succeeded?.result;
  const ws = r ? workspaces.find((w) => w.id === r.workspaceId)?.name : undefined;
  return (
    <Card>
      <CardHeader
        title="Check an address"
        description="Would a campaign in this workspace be allowed to e-mail it? Checks every list and the lead's status."
      />
      <CardBody>
        <f.Form method="post" className="flex flex-col gap-4" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="check" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
            <Field
              label="E-mail address"
              name="email"
              type="email"
              required
              maxLength={254}
              autoComplete="off"
              spellCheck={false}
              placeholder="jane@example.com"
              error={f.fieldError("email")}
            />
            <SelectField
              label="Workspace"
              name="workspaceId"
              defaultValue={workspaces[0]?.id}
              options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
              error={f.fieldError("workspaceId")}
            />
          </div>
          <div>
            <Button type="submit" variant="secondary" busy={f.busy}>
              Check
            </Button>
          </div>
          {r ? (
            r.decision.allowed ? (
              <Alert tone="success" title="Allowed">
                Campaigns{ws ? ` in ${ws}` : ""} may e-mail {r.email}.
              </Alert>
            ) : (
              <Alert tone="warning" title="Blocked">
                {r.email} will not be e-mailed{ws ? ` from ${ws}` : ""}. {describe(r.decision)}
              </Alert>
            )
          ) : null}
        </f.Form>
      </CardBody>
    </Card>
  );
}
