import type * as React from "react";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { data, Form, Link, useNavigation, useSearchParams } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { plural } from "~/components/leads/format";
import { KeysetPager, readPaging, useCleanGetSubmit } from "~/components/leads/pager";
import { LEAD_STATUS_OPTIONS, LeadStatusBadge } from "~/components/leads/status";
import { Alert, EmptyState, NoOrganization } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { ConfirmDialog, Dialog } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { PageHeader } from "~/components/ui/page-header";
import { Select, SelectField } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { DateTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { bulkLeads, createList, defineField, deleteList, listFields, listLists } from "../../../workers/leads/lists.ts";
import { CreateLeadInput, CreateListInput, FieldInput } from "../../../workers/leads/schemas.ts";
import { createLead, deleteLeads, listLeads } from "../../../workers/leads/service.ts";
import { LEAD_STATUSES } from "../../../workers/leads/tables.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/index";

export const meta: Route.MetaFunction = () => [{ title: "Leads · PenguinMails" }];

const PAGE_SIZE = 50;
const ATTRIBUTE = /^[a-z][a-z0-9_]{0,39}=.*$/;

/** The filters as they appear in the URL (GET form); anything malformed is dropped, not an error page. */
const Filters = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  workspaceId: z.string().max(64).optional().catch(undefined),
  status: z.enum(LEAD_STATUSES).optional().catch(undefined),
  listId: z.string().max(64).optional().catch(undefined),
  attribute: z.string().trim().max(200).optional().catch(undefined),
});
type Filters = z.infer<typeof Filters>;
const FILTER_KEYS = ["q", "workspaceId", "status", "listId", "attribute"] as const;

function readFilters(url: URL): Filters {
  const raw = Object.fromEntries(FILTER_KEYS.map((k) => [k, url.searchParams.get(k)?.trim() || undefined]));
  return Filters.parse(raw);
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const url = new URL(request.url);
  const filters = readFilters(url);
  const paging = readPaging(url);
  if (!session.tenant) return { tenant: null } as const;
  const attributeError = filters.attribute && !ATTRIBUTE.test(filters.attribute) ? "Use key=value, for example industry=saas." : null;
  const [workspaces, lists, fields] = await Promise.all([
    orHttp(listWorkspaces(scope)),
    orHttp(listLists(scope)),
    orHttp(listFields(scope)),
  ]);
  const page = await orHttp(
    listLeads(scope, {
      workspaceId: filters.workspaceId,
      q: filters.q,
      status: filters.status,
      listId: filters.listId,
      attribute: attributeError ? undefined : filters.attribute,
      limit: PAGE_SIZE,
      cursor: paging.cursor,
    }),
  );
  return {
    tenant: session.tenant,
    filters,
    paging,
    attributeError,
    filtered: FILTER_KEYS.some((k) => filters[k]),
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
    lists,
    fields,
    canWrite: can(scope, "leads:write"),
    ...page,
  };
}

const blankToUndefined = (raw: unknown) =>
  Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" && v.trim() === "" ? undefined : v]),
  );

const CreateForm = z.preprocess(
  blankToUndefined,
  CreateLeadInput.extend({
    workspaceId: z.string({ error: "Choose a workspace" }).min(1, "Choose a workspace").max(64),
    email: z.string({ error: "Enter an e-mail address" }).trim().min(3, "Enter an e-mail address").max(254, "Use at most 254 characters"),
  }),
);
const LeadIds = z
  .string()
  .max(5000 * 66)
  .transform((s) => s.split(",").filter(Boolean))
  .pipe(z.array(z.string().max(64)).min(1, "Select at least one lead").max(5000, "Select at most 5,000 leads at a time"));
const BulkForm = z.object({
  leadIds: LeadIds,
  action: z.enum(["add_to_list", "remove_from_list"]),
  listId: z.string({ error: "Choose a list" }).min(1, "Choose a list").max(64),
});
const ListForm = CreateListInput.extend({
  workspaceId: z.string({ error: "Choose a workspace" }).min(1, "Choose a workspace").max(64),
  name: z.string().trim().min(1, "Give the list a name").max(100, "Use at most 100 characters"),
});
const FieldForm = FieldInput.extend({ label: z.string().trim().min(1, "Give the field a label").max(80, "Use at most 80 characters") });

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  switch (form.get("intent")) {
    case "create":
      return handleForm(form, CreateForm, (input) => createLead(scope, input));
    case "bulk":
      return handleForm(form, BulkForm, (input) => bulkLeads(scope, input));
    case "delete":
      return handleForm(form, z.object({ leadIds: LeadIds }), ({ leadIds }) => deleteLeads(scope, leadIds));
    case "create-list":
      return handleForm(form, ListForm, (input) => createList(scope, input));
    case "delete-list":
      return handleForm(form, z.object({ listId: z.string().min(1).max(64) }), ({ listId }) => deleteList(scope, listId));
    case "define-field":
      return handleForm(form, FieldForm, (input) => defineField(scope, input));
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

type Loaded = Exclude<Route.ComponentProps["loaderData"], { tenant: null }>;
type Lead = Loaded["items"][number];
type LeadList = Loaded["lists"][number];
type Workspace = Loaded["workspaces"][number];

function filterParams(filters: Filters): URLSearchParams {
  const sp = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filters[k]) sp.set(k, filters[k]!);
  return sp;
}

export default function Leads({ loaderData }: Route.ComponentProps) {
  const [notice, setNotice] = useState<React.ReactNode>(null);
  const [searchParams] = useSearchParams();
  if (!loaderData.tenant) {
    return (
      <div className="flex flex-col gap-6">
        <PageHeader title="Leads" description="The people your campaigns write to." />
        <NoOrganization />
      </div>
    );
  }
  const d = loaderData;
  const qs = filterParams(d.filters).toString();
  const exportHref = `/leads/export${qs ? `?${qs}` : ""}`;
  const nothingYet = d.items.length === 0 && !d.filtered && !d.paging.cursor;
  const deleted = searchParams.get("deleted");
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <PageHeader
        title="Leads"
        description="Search, filter and group the people your campaigns write to, or import them from a CSV file."
        action={
          <div className="flex flex-wrap gap-2">
            {!nothingYet ? (
              <Button asChild variant="secondary">
                <a href={exportHref} download>
                  Export CSV
                </a>
              </Button>
            ) : null}
            {d.canWrite ? (
              <>
                <Button asChild variant="secondary">
                  <Link to="/leads/import">Import CSV</Link>
                </Button>
                <NewLeadDialog workspaces={d.workspaces} defaultWorkspace={d.filters.workspaceId} onNotice={setNotice} />
              </>
            ) : null}
          </div>
        }
      />
      {deleted && !notice ? <Alert tone="success">The lead was deleted.</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {nothingYet ? (
        <EmptyState
          title="No leads yet"
          action={
            d.canWrite ? (
              <div className="mt-2 flex flex-wrap justify-center gap-2">
                <Button asChild>
                  <Link to="/leads/import">Import a CSV file</Link>
                </Button>
                <NewLeadDialog
                  workspaces={d.workspaces}
                  defaultWorkspace={d.filters.workspaceId}
                  onNotice={setNotice}
                  triggerVariant="secondary"
                  triggerLabel="Add one by hand"
                />
              </div>
            ) : null
          }
        >
          Import a list from Apollo, a CRM or a spreadsheet, or add a lead by hand. Campaigns pick their recipients from here.
        </EmptyState>
      ) : (
        <LeadsCard data={d} onNotice={setNotice} />
      )}
      {d.canWrite ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <ListsCard lists={d.lists} workspaces={d.workspaces} defaultWorkspace={d.filters.workspaceId} onNotice={setNotice} />
          <FieldsCard fields={d.fields} />
        </div>
      ) : null}
    </div>
  );
}

function listLabel(l: LeadList, workspaces: Workspace[]) {
  if (workspaces.length < 2) return l.name;
  return `${l.name} (${workspaces.find((w) => w.id === l.workspaceId)?.name ?? "?"})`;
}

function FilterBar({ data: d }: { data: Loaded }) {
  const nav = useNavigation();
  const busy = nav.state === "loading" && nav.location.pathname === "/leads";
  const f = d.filters;
  const listOptions = d.lists.filter((l) => !f.workspaceId || l.workspaceId === f.workspaceId);
  const attrListId = useId();
  const onSubmit = useCleanGetSubmit();
  // Re-mount the inputs when the URL changes (Back button, "Clear"), so they show what is applied.
  const key = filterParams(f).toString();
  return (
    <Form method="get" role="search" aria-label="Filter leads" className="flex flex-wrap items-start gap-3" key={key} onSubmit={onSubmit}>
      <Field
        label="Search"
        name="q"
        type="search"
        defaultValue={f.q ?? ""}
        placeholder="E-mail, name or company"
        maxLength={200}
        className="min-w-48 flex-[2_1_12rem]"
      />
      {d.workspaces.length > 1 ? (
        <SelectField
          label="Workspace"
          name="workspaceId"
          defaultValue={f.workspaceId ?? ""}
          options={[{ value: "", label: "All workspaces" }, ...d.workspaces.map((w) => ({ value: w.id, label: w.name }))]}
          className="w-44"
        />
      ) : null}
      <SelectField
        label="Status"
        name="status"
        defaultValue={f.status ?? ""}
        options={[{ value: "", label: "Any status" }, ...LEAD_STATUS_OPTIONS]}
        className="w-36"
      />
      <SelectField
        label="List"
        name="listId"
        defaultValue={f.listId ?? ""}
        options={[{ value: "", label: "Any list" }, ...listOptions.map((l) => ({ value: l.id, label: listLabel(l, d.workspaces) }))]}
        className="w-40"
      />
      <Field
        label="Custom field (key=value)"
        name="attribute"
        defaultValue={f.attribute ?? ""}
        placeholder="industry=saas"
        spellCheck={false}
        autoComplete="off"
        list={d.fields.length ? attrListId : undefined}
        error={d.attributeError ?? undefined}
        className="w-48"
      />
      {d.fields.length ? (
        <datalist id={attrListId}>
          {d.fields.map((x) => (
            <option key={x.key} value={`${x.key}=`}>
              {x.label}
            </option>
          ))}
        </datalist>
      ) : null}
      <div className="flex items-center gap-2 pt-[1.625rem]">
        <Button type="submit" variant="secondary" busy={busy}>
          Apply filters
        </Button>
        {d.filtered ? (
          <Button asChild variant="ghost">
            <Link to="/leads">Clear</Link>
          </Button>
        ) : null}
      </div>
    </Form>
  );
}

function LeadsCard({ data: d, onNotice }: { data: Loaded; onNotice: (m: React.ReactNode) => void }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const all = useRef<HTMLInputElement>(null);
  const ids = useMemo(() => d.items.map((l) => l.id), [d.items]);
  // Keep only selections that are still on the page (after a delete or a page change).
  useEffect(() => setSelected((s) => new Set([...s].filter((id) => ids.includes(id)))), [ids]);
  const allOn = ids.length > 0 && ids.every((id) => selected.has(id));
  useEffect(() => {
    if (all.current) all.current.indeterminate = selected.size > 0 && !allOn;
  }, [selected, allOn]);
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const listName = new Map(d.lists.map((l) => [l.id, l.name]));
  const wsName = new Map(d.workspaces.map((w) => [w.id, w.name]));
  const showWorkspace = d.workspaces.length > 1 && !d.filters.workspaceId;
  const selectedLeads = d.items.filter((l) => selected.has(l.id));

  return (
    <Card>
      <CardHeader
        title={d.filtered ? "Matching leads" : "All leads"}
        description={
          d.items.length === 0
            ? undefined
            : `Newest first. ${d.nextCursor || d.paging.cursor ? `${PAGE_SIZE} per page.` : `${plural(d.items.length, "lead")}.`}`
        }
      />
      <CardBody className="flex flex-col gap-4">
        <FilterBar data={d} />
        {d.canWrite && selected.size > 0 ? (
          <BulkBar
            leads={selectedLeads}
            lists={d.lists}
            workspaces={d.workspaces}
            onClear={() => setSelected(new Set())}
            onNotice={onNotice}
          />
        ) : null}
        {d.items.length === 0 ? (
          <EmptyState
            title={d.paging.cursor ? "No more leads" : "No leads match these filters"}
            action={
              <Link to="/leads" className="text-sm font-medium text-brand-700 underline">
                {d.paging.cursor ? "Back to the first page" : "Clear the filters"}
              </Link>
            }
          >
            {d.paging.cursor ? "This page is empty: the leads may have been deleted meanwhile." : "Try a shorter search or fewer filters."}
          </EmptyState>
        ) : (
          <>
            <Table caption="Leads, newest first" className="min-w-[50rem]">
              <THead>
                <TR>
                  {d.canWrite ? (
                    <TH className="w-10">
                      <input
                        ref={all}
                        type="checkbox"
                        className="size-4 rounded border-slate-300 accent-brand-600"
                        aria-label="Select all leads on this page"
                        checked={allOn}
                        onChange={(e) => setSelected(e.target.checked ? new Set(ids) : new Set())}
                      />
                    </TH>
                  ) : null}
                  <TH>E-mail</TH>
                  <TH>Name</TH>
                  <TH>Company</TH>
                  <TH>Title</TH>
                  <TH>Status</TH>
                  <TH>Lists</TH>
                  <TH>Created</TH>
                </TR>
              </THead>
              <TBody>
                {d.items.map((l) => (
                  <LeadRow
                    key={l.id}
                    lead={l}
                    canWrite={d.canWrite}
                    checked={selected.has(l.id)}
                    onCheck={(on) => toggle(l.id, on)}
                    listName={listName}
                    workspace={showWorkspace ? wsName.get(l.workspaceId) : undefined}
                  />
                ))}
              </TBody>
            </Table>
            <KeysetPager
              filters={filterParams(d.filters)}
              paging={d.paging}
              nextCursor={d.nextCursor}
              shown={d.items.length}
              pageSize={PAGE_SIZE}
              noun="Leads"
              label="Lead pages"
            />
          </>
        )}
      </CardBody>
    </Card>
  );
}

function LeadRow({
  lead: l,
  canWrite,
  checked,
  onCheck,
  listName,
  workspace,
}: {
  lead: Lead;
  canWrite: boolean;
  checked: boolean;
  onCheck: (on: boolean) => void;
  listName: Map<string, string>;
  workspace?: string;
}) {
  const name = [l.firstName, l.lastName].filter(Boolean).join(" ");
  return (
    <TR className={checked ? "bg-brand-50/60" : "hover:bg-slate-50"}>
      {canWrite ? (
        <TD>
          <input
            type="checkbox"
            className="size-4 rounded border-slate-300 accent-brand-600"
            aria-label={`Select ${l.email}`}
            checked={checked}
            onChange={(e) => onCheck(e.target.checked)}
          />
        </TD>
      ) : null}
      <TD className="max-w-[13rem]">
        <Link to={`/leads/${l.id}`} className="block truncate font-medium text-brand-700 hover:underline" title={l.email}>
          {l.email}
        </Link>
        {workspace ? <p className="text-xs text-slate-500">{workspace}</p> : null}
      </TD>
      <TD className="max-w-[9rem] truncate text-slate-800">{name || <span className="text-slate-400">—</span>}</TD>
      <TD className="max-w-[9rem] truncate text-slate-700">{l.company || <span className="text-slate-400">—</span>}</TD>
      <TD className="max-w-[9rem] truncate text-slate-700">{l.title || <span className="text-slate-400">—</span>}</TD>
      <TD>
        <LeadStatusBadge status={l.status} />
      </TD>
      <TD>
        {l.listIds.length === 0 ? (
          <span className="text-slate-400">—</span>
        ) : (
          <div className="flex max-w-[12rem] flex-wrap gap-1">
            {l.listIds.map((id) => (
              <Badge key={id}>{listName.get(id) ?? "List"}</Badge>
            ))}
          </div>
        )}
      </TD>
      <TD className="whitespace-nowrap text-slate-600">
        <DateTime value={l.createdAt} withTime={false} />
      </TD>
    </TR>
  );
}

function BulkBar({
  leads,
  lists,
  workspaces,
  onClear,
  onNotice,
}: {
  leads: Lead[];
  lists: LeadList[];
  workspaces: Workspace[];
  onClear: () => void;
  onNotice: (m: React.ReactNode) => void;
}) {
  const n = leads.length;
  const leadIds = leads.map((l) => l.id).join(",");
  const wsIds = new Set(leads.map((l) => l.workspaceId));
  // A lead joins lists of its own workspace only.
  const usable = wsIds.size === 1 ? lists.filter((l) => wsIds.has(l.workspaceId)) : [];
  const [listId, setListId] = useState("");
  const chosen = usable.find((l) => l.id === listId);
  const last = useRef<{ action: string; list: string } | null>(null);
  const f = useActionForm<{ affected: number }>({
    onSuccess: (res) => {
      const done = res.result?.affected ?? 0;
      const l = last.current;
      if (!l) return;
      onNotice(
        l.action === "remove_from_list"
          ? `Removed ${plural(done, "lead")} from “${l.list}”.`
          : `Added ${plural(done, "lead")} to “${l.list}”.`,
      );
    },
  });
  const pending = f.fetcher.formData?.get("action");
  const barId = useId();
  return (
    <section aria-labelledby={barId} className="flex flex-col gap-2 rounded-md border border-brand-100 bg-brand-50 px-4 py-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h3 id={barId} className="text-sm font-semibold text-brand-700" aria-live="polite">
          {plural(n, "lead")} selected
        </h3>
        <f.Form
          method="post"
          className="flex flex-wrap items-center gap-2"
          onSubmit={(e) => {
            const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
            last.current = { action: submitter?.value ?? "add_to_list", list: chosen?.name ?? "the list" };
          }}
        >
          <CsrfInput />
          <input type="hidden" name="intent" value="bulk" />
          <input type="hidden" name="leadIds" value={leadIds} />
          {usable.length ? (
            <>
              <Select
                name="listId"
                aria-label="List"
                className="w-56"
                value={listId}
                onChange={(e) => setListId(e.target.value)}
                options={[{ value: "", label: "Choose a list…" }, ...usable.map((l) => ({ value: l.id, label: l.name }))]}
              />
              <Button type="submit" name="action" value="add_to_list" size="sm" disabled={!listId} busy={pending === "add_to_list"}>
                Add to list
              </Button>
              <Button
                type="submit"
                name="action"
                value="remove_from_list"
                size="sm"
                variant="secondary"
                disabled={!listId}
                busy={pending === "remove_from_list"}
              >
                Remove from list
              </Button>
            </>
          ) : (
            <span className="text-sm text-slate-600">
              {wsIds.size > 1
                ? "Select leads of one workspace to add them to a list."
                : `No lists in ${workspaces.find((w) => wsIds.has(w.id))?.name ?? "this workspace"} yet: create one below.`}
            </span>
          )}
        </f.Form>
        <div className="ml-auto flex items-center gap-2">
          <ConfirmDialog
            trigger={
              <Button size="sm" variant="ghost" className="text-red-700 hover:bg-red-100">
                Delete…
              </Button>
            }
            title={`Delete ${plural(n, "lead")}?`}
            description="They are removed from every list and cannot be restored. Their suppression entries stay, so they will not be mailed if imported again."
            intent="delete"
            fields={{ leadIds }}
            confirmLabel={`Delete ${plural(n, "lead")}`}
            onSuccess={(res) => {
              const deleted = (res.result as { deleted?: number } | undefined)?.deleted ?? n;
              onNotice(`${plural(deleted, "lead")} deleted.`);
              onClear();
            }}
          />
          <Button size="sm" variant="ghost" onClick={onClear}>
            Clear selection
          </Button>
        </div>
      </div>
      {f.formError ? <p className="text-sm font-medium text-red-700">{f.formError}</p> : null}
      {f.fieldError("listId") ? <p className="text-sm font-medium text-red-700">{f.fieldError("listId")}</p> : null}
    </section>
  );
}

function NewLeadDialog({
  workspaces,
  defaultWorkspace,
  onNotice,
  triggerVariant = "primary",
  triggerLabel = "New lead",
}: {
  workspaces: Workspace[];
  defaultWorkspace?: string;
  onNotice: (m: React.ReactNode) => void;
  triggerVariant?: "primary" | "secondary";
  triggerLabel?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      trigger={<Button variant={triggerVariant}>{triggerLabel}</Button>}
      title="New lead"
      description="Only the e-mail address is required. Custom fields, consent and lists can be set on the lead's page afterwards."
      className="max-w-lg"
    >
      <NewLeadForm
        workspaces={workspaces}
        defaultWorkspace={defaultWorkspace}
        onCancel={() => setOpen(false)}
        onDone={(email, id) => {
          setOpen(false);
          onNotice(
            <>
              Lead{" "}
              <Link to={`/leads/${id}`} className="font-semibold underline">
                {email}
              </Link>{" "}
              created.
            </>,
          );
        }}
      />
    </Dialog>
  );
}

/** Time zones the browser knows, for the suggestion list (rendered only once the dialog is open, so no SSR mismatch). */
function timeZones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}

function NewLeadForm({
  workspaces,
  defaultWorkspace,
  onCancel,
  onDone,
}: {
  workspaces: Workspace[];
  defaultWorkspace?: string;
  onCancel: () => void;
  onDone: (email: string, id: string) => void;
}) {
  const f = useActionForm<Lead>({ onSuccess: (d) => d.result && onDone(d.result.email, d.result.id) });
  const tzId = useId();
  const zones = useMemo(timeZones, []);
  return (
    <f.Form method="post" ref={f.formRef} className="flex flex-col gap-4" noValidate>
      <CsrfInput />
      <input type="hidden" name="intent" value="create" />
      {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
      <SelectField
        label="Workspace"
        name="workspaceId"
        defaultValue={defaultWorkspace ?? workspaces[0]?.id ?? ""}
        options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
        error={f.fieldError("workspaceId")}
      />
      <Field
        label="E-mail address"
        name="email"
        type="email"
        required
        autoComplete="off"
        spellCheck={false}
        maxLength={254}
        error={f.fieldError("email")}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="First name" name="firstName" maxLength={100} autoComplete="off" error={f.fieldError("firstName")} />
        <Field label="Last name" name="lastName" maxLength={100} autoComplete="off" error={f.fieldError("lastName")} />
        <Field label="Company" name="company" maxLength={200} autoComplete="off" error={f.fieldError("company")} />
        <Field label="Job title" name="title" maxLength={200} autoComplete="off" error={f.fieldError("title")} />
      </div>
      <Field
        label="Time zone"
        name="timezone"
        list={tzId}
        maxLength={64}
        placeholder="Europe/Berlin"
        autoComplete="off"
        spellCheck={false}
        hint="Optional. Sends are scheduled in the lead's local time."
        error={f.fieldError("timezone")}
      />
      <datalist id={tzId}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" busy={f.busy}>
          Create lead
        </Button>
      </div>
    </f.Form>
  );
}

function ListsCard({
  lists,
  workspaces,
  defaultWorkspace,
  onNotice,
}: {
  lists: LeadList[];
  workspaces: Workspace[];
  defaultWorkspace?: string;
  onNotice: (m: React.ReactNode) => void;
}) {
  const f = useActionForm<LeadList>({ reset: true });
  return (
    <Card>
      <CardHeader title="Lists" description="Group leads for campaigns. A lead can be on several lists of its workspace." />
      <CardBody className="flex flex-col gap-4">
        {lists.length === 0 ? (
          <p className="text-sm text-slate-500">No lists yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
            {lists.map((l) => (
              <li key={l.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                <div className="min-w-0">
                  <Link
                    to={`/leads?${new URLSearchParams({ listId: l.id })}`}
                    className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                  >
                    {l.name}
                  </Link>
                  <p className="text-xs text-slate-500">
                    {plural(l.leads, "lead")}
                    {workspaces.length > 1 ? ` · ${workspaces.find((w) => w.id === l.workspaceId)?.name ?? ""}` : ""}
                  </p>
                </div>
                <ConfirmDialog
                  trigger={
                    <Button variant="ghost" size="sm" className="text-red-700 hover:bg-red-50" aria-label={`Delete the list ${l.name}`}>
                      Delete
                    </Button>
                  }
                  title={`Delete the list “${l.name}”?`}
                  description={`The ${plural(l.leads, "lead")} on it stay in your leads; only the list goes away.`}
                  intent="delete-list"
                  fields={{ listId: l.id }}
                  confirmLabel="Delete list"
                  onSuccess={() => onNotice(`List “${l.name}” deleted.`)}
                />
              </li>
            ))}
          </ul>
        )}
        <f.Form method="post" ref={f.formRef} className="flex flex-col gap-3" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="create-list" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          {f.succeeded?.result ? <Alert tone="success">List “{f.succeeded.result.name}” created.</Alert> : null}
          <div className="flex flex-wrap items-start gap-3">
            <Field
              label="New list"
              name="name"
              maxLength={100}
              placeholder="Q3 SaaS founders"
              className="min-w-48 flex-1"
              error={f.fieldError("name")}
            />
            {workspaces.length > 1 ? (
              <SelectField
                label="Workspace"
                name="workspaceId"
                defaultValue={defaultWorkspace ?? workspaces[0]?.id}
                options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
                className="w-44"
                error={f.fieldError("workspaceId")}
              />
            ) : (
              <input type="hidden" name="workspaceId" value={workspaces[0]?.id ?? ""} />
            )}
            <Button type="submit" variant="secondary" busy={f.busy} className="mt-[1.625rem]">
              Create list
            </Button>
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}

const FIELD_TYPE_OPTIONS = [
  { value: "text", label: "Text" },
  { value: "number", label: "Number" },
  { value: "date", label: "Date" },
  { value: "boolean", label: "Yes / no" },
  { value: "url", label: "Web address" },
];

function FieldsCard({ fields }: { fields: Loaded["fields"] }) {
  const f = useActionForm<{ key: string; label: string }>({ reset: true });
  return (
    <Card>
      <CardHeader
        title="Custom fields"
        description="Extra columns such as industry or LinkedIn URL. Map CSV columns to them on import and use them as merge tags."
      />
      <CardBody className="flex flex-col gap-4">
        {fields.length === 0 ? (
          <p className="text-sm text-slate-500">No custom fields yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
            {fields.map((x) => (
              <li key={x.key} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                <span className="font-medium text-slate-900">{x.label}</span>
                <span className="flex items-center gap-2">
                  <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{x.key}</code>
                  <Badge>{FIELD_TYPE_OPTIONS.find((o) => o.value === x.type)?.label ?? x.type}</Badge>
                </span>
              </li>
            ))}
          </ul>
        )}
        <f.Form method="post" ref={f.formRef} className="flex flex-col gap-3" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="define-field" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          {f.succeeded?.result ? <Alert tone="success">Custom field “{f.succeeded.result.label}” saved.</Alert> : null}
          <div className="grid gap-3 sm:grid-cols-[1fr_1fr_9rem]">
            <Field label="Label" name="label" maxLength={80} placeholder="Industry" error={f.fieldError("label")} />
            <Field
              label="Key"
              name="key"
              maxLength={40}
              placeholder="industry"
              spellCheck={false}
              autoComplete="off"
              error={f.fieldError("key")}
            />
            <SelectField label="Type" name="type" defaultValue="text" options={FIELD_TYPE_OPTIONS} error={f.fieldError("type")} />
          </div>
          <p className="-mt-1 text-xs text-slate-500">
            Keys use lower-case letters, digits and _. Saving an existing key changes its label and type.
          </p>
          <div>
            <Button type="submit" variant="secondary" busy={f.busy}>
              Save field
            </Button>
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}
