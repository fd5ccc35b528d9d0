import { useId, useMemo, useState } from "react";
import { data, Link, redirect } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { ActivityCard } from "~/components/leads/activity";
import { RouteError } from "~/components/leads/not-found";
import { LEAD_STATUS_OPTIONS, LeadStatusBadge } from "~/components/leads/status";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { ConfirmDialog } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { PageHeader } from "~/components/ui/page-header";
import { Select, SelectField } from "~/components/ui/select";
import { DateTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import type { FieldType } from "../../../workers/leads/attributes.ts";
import { bulkLeads, listFields, listLists } from "../../../workers/leads/lists.ts";
import { UpdateLeadInput } from "../../../workers/leads/schemas.ts";
import { deleteLeads, getLead, updateLead } from "../../../workers/leads/service.ts";
import { leadTimeline, TIMELINE_LIMIT } from "../../../workers/leads/timeline.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/detail";

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: `${loaderData?.lead.email ?? "Lead"} · Leads · PenguinMails` }];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const lead = await orHttp(getLead(scope, params.leadId));
  const [fields, lists, workspaces, activity] = await Promise.all([
    orHttp(listFields(scope)),
    orHttp(listLists(scope, lead.workspaceId)),
    orHttp(listWorkspaces(scope)),
    orHttp(leadTimeline(scope, lead.id)),
  ]);
  return {
    lead,
    fields,
    lists,
    workspace: workspaces.find((w) => w.id === lead.workspaceId)?.name ?? null,
    activity,
    activityLimit: TIMELINE_LIMIT,
    canWrite: can(scope, "leads:write"),
  };
}

const TEXT_FIELDS = [
  "firstName",
  "lastName",
  "company",
  "title",
  "phone",
  "website",
  "city",
  "country",
  "source",
  "consentSource",
] as const;

/**
 * The edit form posts every field as text (custom fields as `attr.<key>`); this turns it into
 * UpdateLeadInput: blanks clear a field (null), custom values get their declared type, and the
 * consent time (a datetime-local in UTC) becomes an ISO timestamp.
 */
function updateForm(defs: { key: string; type: FieldType }[]) {
  return z.preprocess(
    (raw) => {
      const r = raw as Record<string, string | undefined>;
      const out: Record<string, unknown> = { email: r.email ?? "", status: r.status };
      for (const k of TEXT_FIELDS) out[k] = r[k]?.trim() ? r[k] : null;
      out.timezone = r.timezone?.trim() ? r.timezone : null;
      out.consentBasis = r.consentBasis || null;
      const at = r.consentCollectedAt?.trim();
      out.consentCollectedAt = at ? (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(at) ? `${at}:00Z` : at) : null;
      const attributes: Record<string, unknown> = {};
      for (const d of defs) {
        const v = r[`attr.${d.key}`];
        if (v === undefined) continue;
        if (v.trim() === "") attributes[d.key] = null;
        else if (d.type === "number" && Number.isFinite(Number(v))) attributes[d.key] = Number(v);
        else if (d.type === "boolean") attributes[d.key] = v === "true";
        else attributes[d.key] = v;
      }
      if (defs.length) out.attributes = attributes;
      return out;
    },
    UpdateLeadInput.extend({
      email: z.string().trim().min(3, "Enter an e-mail address").max(254, "Use at most 254 characters"),
      consentCollectedAt: z.iso.datetime({ offset: true, error: "Enter a date and time" }).nullable().optional(),
    }),
  );
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  const leadId = params.leadId;
  switch (form.get("intent")) {
    case "update": {
      const defs = await orHttp(listFields(scope));
      return handleForm(form, updateForm(defs), (input) => updateLead(scope, leadId, input));
    }
    case "add-list":
    case "remove-list":
      return handleForm(form, z.object({ listId: z.string({ error: "Choose a list" }).min(1, "Choose a list").max(64) }), ({ listId }) =>
        bulkLeads(scope, { leadIds: [leadId], action: form.get("intent") === "add-list" ? "add_to_list" : "remove_from_list", listId }),
      );
    case "delete":
      return handleForm(form, z.object({}), async () => {
        await deleteLeads(scope, [leadId]);
        throw redirect("/leads?deleted=1");
      });
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} title="Lead" back={{ to: "/leads", label: "Back to leads" }} />;
}

type Data = Route.ComponentProps["loaderData"];
type Lead = Data["lead"];

const BASIS_OPTIONS = [
  { value: "", label: "Not recorded" },
  { value: "consent", label: "Consent" },
  { value: "legitimate_interest", label: "Legitimate interest" },
  { value: "contract", label: "Contract" },
  { value: "other", label: "Other" },
];

export default function LeadDetail({ loaderData }: Route.ComponentProps) {
  const { lead, canWrite } = loaderData;
  const name = [lead.firstName, lead.lastName].filter(Boolean).join(" ");
  const subtitle = [lead.title, lead.company].filter(Boolean).join(" at ");
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Link to="/leads" className="w-fit text-sm font-medium text-brand-700 hover:underline">
          ← All leads
        </Link>
        <PageHeader
          title={name || lead.email}
          description={
            <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
              {name ? <span>{lead.email}</span> : null}
              {name && subtitle ? <span aria-hidden="true">·</span> : null}
              {subtitle ? <span>{subtitle}</span> : null}
              <LeadStatusBadge status={lead.status} />
            </span>
          }
          action={
            canWrite ? (
              <ConfirmDialog
                trigger={
                  <Button variant="secondary" className="text-red-700 hover:bg-red-50">
                    Delete lead
                  </Button>
                }
                title={`Delete ${lead.email}?`}
                description="The lead is removed from every list and cannot be restored. Suppression entries for this address stay in place."
                intent="delete"
                confirmLabel="Delete lead"
              />
            ) : null
          }
        />
      </div>
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <DetailsCard data={loaderData} />
        <div className="flex flex-col gap-6">
          <ListsCard data={loaderData} />
          <ActivityCard items={loaderData.activity} limit={loaderData.activityLimit} />
          <RecordCard data={loaderData} />
        </div>
      </div>
    </div>
  );
}

function Section({ title, description, children }: { title: string; description?: string; children: React.ReactNode }) {
  const id = useId();
  return (
    <fieldset
      className="flex flex-col gap-4 border-t border-slate-100 pt-5 first:border-t-0 first:pt-0"
      aria-describedby={description ? id : undefined}
    >
      <div>
        <legend className="text-sm font-semibold text-slate-900">{title}</legend>
        {description ? (
          <p id={id} className="mt-0.5 text-xs text-slate-500">
            {description}
          </p>
        ) : null}
      </div>
      {children}
    </fieldset>
  );
}

function DetailsCard({ data: d }: { data: Data }) {
  const { lead, fields, canWrite } = d;
  const f = useActionForm<Lead>();
  const err = (name: string) => f.fieldError(name);
  const known = new Set(fields.map((x) => x.key));
  const orphans = Object.entries(lead.attributes).filter(([k]) => !known.has(k));
  return (
    <Card>
      <CardHeader
        title="Details"
        description={
          canWrite
            ? "Everything campaigns can merge into an e-mail. Clear a field to remove it."
            : "You can view this lead but not edit it."
        }
      />
      <CardBody>
        <f.Form method="post" className="flex flex-col gap-5" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="update" />
          {/* Re-mounted after a save, so inputs show the stored (normalised) values; on an error they keep the input. */}
          <fieldset disabled={!canWrite} className="flex flex-col gap-5" key={lead.updatedAt}>
            {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
            {f.succeeded ? <Alert tone="success">Changes saved.</Alert> : null}
            <Section title="Contact">
              <div className="grid gap-4 sm:grid-cols-2">
                <Field
                  label="E-mail address"
                  name="email"
                  type="email"
                  required
                  defaultValue={lead.email}
                  maxLength={254}
                  spellCheck={false}
                  autoComplete="off"
                  error={err("email")}
                  className="sm:col-span-2"
                />
                <Field label="First name" name="firstName" defaultValue={lead.firstName ?? ""} maxLength={100} error={err("firstName")} />
                <Field label="Last name" name="lastName" defaultValue={lead.lastName ?? ""} maxLength={100} error={err("lastName")} />
                <Field label="Phone" name="phone" type="tel" defaultValue={lead.phone ?? ""} maxLength={50} error={err("phone")} />
                <TimezoneField defaultValue={lead.timezone ?? ""} error={err("timezone")} />
              </div>
            </Section>
            <Section title="Company">
              <div className="grid gap-4 sm:grid-cols-2">
                <Field label="Company" name="company" defaultValue={lead.company ?? ""} maxLength={200} error={err("company")} />
                <Field label="Job title" name="title" defaultValue={lead.title ?? ""} maxLength={200} error={err("title")} />
                <Field
                  label="Website"
                  name="website"
                  defaultValue={lead.website ?? ""}
                  maxLength={500}
                  placeholder="acme.com"
                  error={err("website")}
                  className="sm:col-span-2"
                />
                <Field label="City" name="city" defaultValue={lead.city ?? ""} maxLength={100} error={err("city")} />
                <Field label="Country" name="country" defaultValue={lead.country ?? ""} maxLength={100} error={err("country")} />
              </div>
            </Section>
            <Section
              title="Custom fields"
              description={
                fields.length ? undefined : "No custom fields are defined yet. Add them on the Leads page under “Custom fields”."
              }
            >
              {fields.length ? (
                <div className="grid gap-4 sm:grid-cols-2">
                  {fields.map((x) => (
                    <CustomField
                      key={x.key}
                      field={x}
                      value={lead.attributes[x.key] ?? null}
                      error={err(`attributes.${x.key}`) ?? err("attributes")}
                    />
                  ))}
                </div>
              ) : null}
              {orphans.length ? (
                <div className="text-sm">
                  <p className="text-xs font-medium text-slate-500">Other stored values (no longer defined as fields, read-only)</p>
                  <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                    {orphans.map(([k, v]) => (
                      <div key={k} className="contents">
                        <dt className="font-mono text-xs text-slate-600">{k}</dt>
                        <dd className="text-slate-800">{String(v)}</dd>
                      </div>
                    ))}
                  </dl>
                </div>
              ) : null}
            </Section>
            <Section title="Status and consent" description="Only active leads are e-mailed. Record why you may contact this person.">
              <div className="grid gap-4 sm:grid-cols-2">
                <SelectField label="Status" name="status" defaultValue={lead.status} options={LEAD_STATUS_OPTIONS} error={err("status")} />
                <SelectField
                  label="Lawful basis"
                  name="consentBasis"
                  defaultValue={lead.consentBasis ?? ""}
                  options={BASIS_OPTIONS}
                  error={err("consentBasis")}
                />
                <Field
                  label="Consent source"
                  name="consentSource"
                  defaultValue={lead.consentSource ?? ""}
                  maxLength={200}
                  placeholder="Webinar sign-up form"
                  error={err("consentSource")}
                />
                <Field
                  label="Consent collected (UTC)"
                  name="consentCollectedAt"
                  type="datetime-local"
                  defaultValue={lead.consentCollectedAt ? lead.consentCollectedAt.slice(0, 16) : ""}
                  error={err("consentCollectedAt")}
                />
                <Field
                  label="Source"
                  name="source"
                  defaultValue={lead.source ?? ""}
                  maxLength={100}
                  hint="Where the lead came from, e.g. import, manual, api."
                  error={err("source")}
                />
              </div>
            </Section>
            {canWrite ? (
              <div className="flex items-center gap-3 border-t border-slate-100 pt-5">
                <Button type="submit" busy={f.busy}>
                  Save changes
                </Button>
              </div>
            ) : null}
          </fieldset>
        </f.Form>
      </CardBody>
    </Card>
  );
}

function TimezoneField({ defaultValue, error }: { defaultValue: string; error?: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  // The suggestion list is filled on first focus, in the browser only (no SSR mismatch, small HTML).
  const zones = useMemo(() => {
    if (!open) return [];
    try {
      return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone");
    } catch {
      return [];
    }
  }, [open]);
  return (
    <>
      <Field
        label="Time zone"
        name="timezone"
        defaultValue={defaultValue}
        maxLength={64}
        placeholder="Europe/Berlin"
        list={id}
        onFocus={() => setOpen(true)}
        autoComplete="off"
        spellCheck={false}
        error={error}
      />
      <datalist id={id}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}

function CustomField({
  field,
  value,
  error,
}: {
  field: { key: string; label: string; type: FieldType };
  value: string | number | boolean | null;
  error?: string;
}) {
  const name = `attr.${field.key}`;
  const hint = `{{${field.key}}}`;
  switch (field.type) {
    case "boolean":
      return (
        <SelectField
          label={field.label}
          name={name}
          hint={hint}
          defaultValue={value === null ? "" : String(value)}
          options={[
            { value: "", label: "Not set" },
            { value: "true", label: "Yes" },
            { value: "false", label: "No" },
          ]}
          error={error}
        />
      );
    case "number":
      return (
        <Field
          label={field.label}
          name={name}
          hint={hint}
          type="number"
          step="any"
          defaultValue={value === null ? "" : String(value)}
          error={error}
        />
      );
    case "date":
      return (
        <Field
          label={field.label}
          name={name}
          hint={hint}
          type="date"
          defaultValue={value === null ? "" : String(value).slice(0, 10)}
          error={error}
        />
      );
    case "url":
      return (
        <Field
          label={field.label}
          name={name}
          hint={hint}
          type="url"
          defaultValue={value === null ? "" : String(value)}
          maxLength={2000}
          error={error}
        />
      );
    default:
      return (
        <Field
          label={field.label}
          name={name}
          hint={hint}
          defaultValue={value === null ? "" : String(value)}
          maxLength={2000}
          error={error}
        />
      );
  }
}

function ListsCard({ data: d }: { data: Data }) {
  const { lead, lists, canWrite } = d;
  const on = lists.filter((l) => lead.listIds.includes(l.id));
  const off = lists.filter((l) => !lead.listIds.includes(l.id));
  const add = useActionForm({ reset: true });
  return (
    <Card>
      <CardHeader title="Lists" description={on.length ? undefined : "This lead is not on any list."} />
      <CardBody className="flex flex-col gap-4">
        {on.length ? (
          <ul className="flex flex-col gap-1.5">
            {on.map((l) => (
              <ListMembership key={l.id} list={l} canWrite={canWrite} />
            ))}
          </ul>
        ) : null}
        {canWrite ? (
          off.length ? (
            <add.Form method="post" ref={add.formRef} className="flex flex-col gap-1.5">
              <CsrfInput />
              <input type="hidden" name="intent" value="add-list" />
              <div className="flex gap-2">
                <Select
                  name="listId"
                  aria-label="List to add the lead to"
                  className="min-w-0 flex-1"
                  defaultValue=""
                  options={[{ value: "", label: "Add to a list…" }, ...off.map((l) => ({ value: l.id, label: l.name }))]}
                />
                <Button type="submit" variant="secondary" busy={add.busy}>
                  Add
                </Button>
              </div>
              {add.formError || add.fieldError("listId") ? (
                <p className="text-xs font-medium text-red-600">{add.formError ?? add.fieldError("listId")}</p>
              ) : null}
            </add.Form>
          ) : (
            <p className="text-xs text-slate-500">
              {lists.length ? "The lead is on every list of its workspace." : "Its workspace has no lists yet. "}
              {lists.length ? null : (
                <Link to="/leads" className="font-medium text-brand-700 underline">
                  Create one on the Leads page
                </Link>
              )}
            </p>
          )
        ) : null}
      </CardBody>
    </Card>
  );
}

function ListMembership({ list, canWrite }: { list: { id: string; name: string }; canWrite: boolean }) {
  const f = useActionForm();
  return (
    <li className="flex items-center justify-between gap-2">
      <Link to={`/leads?${new URLSearchParams({ listId: list.id })}`} className="min-w-0 truncate">
        <Badge tone="brand">{list.name}</Badge>
      </Link>
      {canWrite ? (
        <f.Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="remove-list" />
          <input type="hidden" name="listId" value={list.id} />
          <Button type="submit" variant="ghost" size="sm" busy={f.busy} aria-label={`Remove from the list ${list.name}`}>
            Remove
          </Button>
          {f.formError ? <p className="text-xs font-medium text-red-600">{f.formError}</p> : null}
        </f.Form>
      ) : null}
    </li>
  );
}

function RecordCard({ data: d }: { data: Data }) {
  const { lead, workspace } = d;
  const rows: [string, React.ReactNode][] = [
    ["Workspace", workspace ?? "—"],
    ["Source", lead.source ?? "—"],
    ["Created", <DateTime key="c" value={lead.createdAt} />],
    ["Last updated", <DateTime key="u" value={lead.updatedAt} />],
    [
      "Lead ID",
      <code key="i" className="break-all text-xs">
        {lead.id}
      </code>,
    ],
  ];
  return (
    <Card>
      <CardHeader title="Record" />
      <CardBody>
        <dl className="flex flex-col gap-3 text-sm">
          {rows.map(([k, v]) => (
            <div key={k}>
              <dt className="text-xs font-medium text-slate-500">{k}</dt>
              <dd className="mt-0.5 text-slate-800">{v}</dd>
            </div>
          ))}
        </dl>
      </CardBody>
    </Card>
  );
}
