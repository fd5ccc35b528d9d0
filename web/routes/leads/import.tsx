import { useEffect, useId, useRef, useState } from "react";
import { data, Link, redirect, useFetcher, useNavigate } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput, useCsrfToken } from "~/components/csrf-input";
import { formatBytes, formatNumber } from "~/components/leads/format";
import { ImportStatusBadge } from "~/components/leads/status";
import { Alert, EmptyState, NoOrganization } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Checkbox } from "~/components/ui/checkbox";
import { PageHeader } from "~/components/ui/page-header";
import { ProgressBar } from "~/components/ui/progress";
import { Select, SelectField } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { RelativeTime } from "~/components/ui/time";
import { envContext, scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { autoMapping, STANDARD_TARGETS, type StandardTarget } from "../../../workers/leads/imports/mapping.ts";
import { cancelImport, getImport, listImports, startImport } from "../../../workers/leads/imports/service.ts";
import { listFields, listLists } from "../../../workers/leads/lists.ts";
import { isAppError } from "../../../workers/platform/errors.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/import";

export const meta: Route.MetaFunction = () => [{ title: "Import leads · PenguinMails" }];

const MAX_BYTES = 200 * 1024 * 1024;

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  if (!session.tenant) return { tenant: null } as const;
  const [workspaces, fields, lists, imports] = await Promise.all([
    orHttp(listWorkspaces(scope)),
    orHttp(listFields(scope)),
    orHttp(listLists(scope)),
    orHttp(listImports(scope)),
  ]);
  // ?id=… resumes an uploaded file at the mapping step (after a reload, or from "Recent imports").
  const id = new URL(request.url).searchParams.get("id");
  let pending: Pending | null = null;
  if (id) {
    const imp = await getImport(scope, id).catch((err) => {
      if (isAppError(err) && err.status === 404) return null;
      throw err;
    });
    if (imp && imp.status !== "uploaded") throw redirect(`/leads/imports/${imp.id}`);
    if (imp)
      pending = {
        id: imp.id,
        filename: imp.filename,
        sizeBytes: imp.sizeBytes,
        workspaceId: imp.workspaceId,
        headers: imp.headers,
        preview: [],
        suggestedMapping: autoMapping(
          imp.headers,
          fields.map((f) => f.key),
        ),
      };
  }
  return {
    tenant: session.tenant,
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
    fields,
    lists: lists.map((l) => ({ id: l.id, name: l.name, workspaceId: l.workspaceId })),
    imports,
    pending,
    missing: Boolean(id && !pending),
    canWrite: can(scope, "leads:write"),
  };
}

/** The mapping form posts `col.<i>` (the header) and `map.<i>` (its target) per CSV column. */
const StartForm = z.preprocess(
  (raw) => {
    const r = raw as Record<string, string | undefined>;
    const mapping: Record<string, string> = {};
    for (const [k, header] of Object.entries(r))
      if (k.startsWith("col.") && header !== undefined) mapping[header] = r[`map.${k.slice(4)}`] || "ignore";
    return {
      importId: r.importId,
      mapping,
      duplicates: r.duplicates,
      listId: r.listId || null,
      importValidRows: r.importValidRows === "on",
    };
  },
  z.object({
    importId: z.string().min(1).max(64),
    mapping: z.record(z.string().max(200), z.string().max(60)),
    duplicates: z.enum(["skip", "update"], { error: "Choose what happens to leads that already exist" }),
    listId: z.string().max(64).nullable(),
    importValidRows: z.boolean(),
  }),
);

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  const env = context.get(envContext);
  switch (form.get("intent")) {
    case "start":
      return handleForm(form, StartForm, async ({ importId, ...input }) => {
        await startImport(scope, { bucket: env.LEAD_IMPORTS, queue: env.IMPORT_QUEUE }, importId, input);
        throw redirect(`/leads/imports/${importId}`);
      });
    case "discard":
      return handleForm(form, z.object({ importId: z.string().min(1).max(64) }), ({ importId }) => cancelImport(scope, importId));
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

interface Pending {
  id: string;
  filename: string;
  sizeBytes: number;
  workspaceId: string;
  headers: string[];
  preview: string[][];
  suggestedMapping: Record<string, string>;
}

type Loaded = Exclude<Route.ComponentProps["loaderData"], { tenant: null }>;

export default function ImportLeads({ loaderData }: Route.ComponentProps) {
  if (!loaderData.tenant) {
    return (
      <div className="flex flex-col gap-6">
        <PageHeader title="Import leads" />
        <NoOrganization />
      </div>
    );
  }
  return <Wizard data={loaderData} />;
}

function Wizard({ data: d }: { data: Loaded }) {
  const navigate = useNavigate();
  const [uploaded, setUploaded] = useState<Pending | null>(d.pending);
  // Follow the URL (Back button, "Continue" in Recent imports) unless we hold the same upload with its preview.
  useEffect(() => {
    setUploaded((u) => (d.pending && u?.id === d.pending.id ? u : d.pending));
  }, [d.pending]);
  const step = uploaded ? 1 : 0;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Link to="/leads" className="w-fit text-sm font-medium text-brand-700 hover:underline">
          ← All leads
        </Link>
        <PageHeader
          title="Import leads"
          description="Bring in leads from a CSV file (Apollo, HubSpot, Sales Navigator, a spreadsheet). Up to 200 MB; the import runs in the background and you can leave the page."
        />
      </div>
      <Stepper step={step} />
      {d.missing ? <Alert tone="warning">That upload was not found. Upload the file again.</Alert> : null}
      {!d.canWrite ? (
        <Alert tone="info" title="View only">
          Your role lets you see imports but not start them.
        </Alert>
      ) : d.workspaces.length === 0 ? (
        <EmptyState title="No workspace to import into">Ask an owner or admin to add you to a workspace first.</EmptyState>
      ) : uploaded ? (
        <MappingStep
          key={uploaded.id}
          upload={uploaded}
          data={d}
          onStartOver={() => {
            setUploaded(null);
            navigate("/leads/import", { replace: true, preventScrollReset: true });
          }}
        />
      ) : (
        <UploadStep
          workspaces={d.workspaces}
          onUploaded={(u) => {
            setUploaded(u);
            navigate(`/leads/import?${new URLSearchParams({ id: u.id })}`, { replace: true, preventScrollReset: true });
          }}
        />
      )}
      <RecentImports imports={d.imports} workspaces={d.workspaces} />
    </div>
  );
}

const STEPS = ["Upload a file", "Match the columns", "Import"];

function Stepper({ step }: { step: number }) {
  return (
    <nav aria-label="Import steps">
      <ol className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm">
        {STEPS.map((label, i) => {
          const done = i < step;
          const current = i === step;
          return (
            <li key={label} className="flex items-center gap-3" aria-current={current ? "step" : undefined}>
              <span className="flex items-center gap-2">
                <span
                  aria-hidden="true"
                  className={
                    done
                      ? "flex size-7 items-center justify-center rounded-full bg-brand-600 text-white"
                      : current
                        ? "flex size-7 items-center justify-center rounded-full border-2 border-brand-600 font-semibold text-brand-700"
                        : "flex size-7 items-center justify-center rounded-full border border-slate-300 text-slate-500"
                  }
                >
                  {done ? (
                    <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="2">
                      <path d="m5 10.5 3.5 3.5L15 7" />
                    </svg>
                  ) : (
                    i + 1
                  )}
                </span>
                <span className={current ? "font-semibold text-slate-900" : done ? "text-slate-700" : "text-slate-500"}>
                  {label}
                  {done ? <span className="sr-only"> (done)</span> : null}
                </span>
              </span>
              {i < STEPS.length - 1 ? <span aria-hidden="true" className="h-px w-8 bg-slate-300 sm:w-14" /> : null}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function looksLikeCsv(f: File) {
  return /\.(csv|tsv|txt)$/i.test(f.name) || /csv|tab-separated/.test(f.type);
}

function UploadStep({ workspaces, onUploaded }: { workspaces: Loaded["workspaces"]; onUploaded: (u: Pending) => void }) {
  const csrf = useCsrfToken();
  const [workspaceId, setWorkspaceId] = useState(workspaces[0]?.id ?? "");
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const xhr = useRef<XMLHttpRequest | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const progressLabel = useId();
  useEffect(() => () => xhr.current?.abort(), []);

  function pick(f: File | undefined | null) {
    setError(null);
    if (!f) return;
    if (!looksLikeCsv(f)) return setError(`“${f.name}” is not a CSV file. Export your sheet as CSV (comma- or semicolon-separated) first.`);
    if (f.size === 0) return setError(`“${f.name}” is empty.`);
    if (f.size > MAX_BYTES)
      return setError(`“${f.name}” is ${formatBytes(f.size)}. Files up to 200 MB can be imported; split it into smaller files.`);
    setFile(f);
  }

  function upload(e: React.FormEvent) {
    e.preventDefault();
    if (!file) return setError("Choose a CSV file first.");
    if (!workspaceId) return setError("Choose the workspace to import into.");
    setError(null);
    setProgress({ loaded: 0, total: file.size });
    const req = new XMLHttpRequest();
    xhr.current = req;
    req.open("POST", `/api/v1/lead-imports?${new URLSearchParams({ workspaceId, filename: file.name })}`);
    req.setRequestHeader("content-type", "text/csv");
    req.setRequestHeader("x-csrf-token", csrf);
    req.responseType = "text";
    req.upload.onprogress = (ev) => setProgress({ loaded: ev.loaded, total: ev.lengthComputable ? ev.total : file.size });
    req.onload = () => {
      xhr.current = null;
      let body: unknown = null;
      try {
        body = JSON.parse(req.responseText);
      } catch {
        // handled below
      }
      if (req.status === 201 && body && typeof body === "object" && "id" in body) {
        const b = body as Pending;
        onUploaded({
          id: b.id,
          filename: b.filename,
          sizeBytes: b.sizeBytes,
          workspaceId: b.workspaceId,
          headers: b.headers,
          preview: b.preview,
          suggestedMapping: b.suggestedMapping,
        });
        return;
      }
      setProgress(null);
      const message = (body as { error?: { message?: string } } | null)?.error?.message;
      setError(
        message ??
          (req.status === 413
            ? "The file is too large. Files up to 200 MB can be imported."
            : `The upload failed (HTTP ${req.status}). Try again.`),
      );
    };
    req.onerror = () => {
      xhr.current = null;
      setProgress(null);
      setError("The upload was interrupted. Check your connection and try again.");
    };
    req.onabort = () => {
      xhr.current = null;
      setProgress(null);
    };
    req.send(file);
  }

  const uploading = progress !== null;
  const pct = progress?.total ? (progress.loaded / progress.total) * 100 : 0;
  const sent = pct >= 100;
  return (
    <Card>
      <CardHeader
        title="1. Upload a file"
        description="The first row must hold the column names. Any delimiter (comma, semicolon, tab) works."
      />
      <CardBody>
        <form onSubmit={upload} className="flex flex-col gap-5" noValidate>
          {error ? <Alert tone="error">{error}</Alert> : null}
          {workspaces.length > 1 ? (
            <SelectField
              label="Workspace"
              name="workspaceId"
              value={workspaceId}
              onChange={(e) => setWorkspaceId(e.target.value)}
              options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
              hint="The leads are added to this workspace."
              className="max-w-sm"
              disabled={uploading}
            />
          ) : (
            <p className="text-sm text-slate-600">
              Leads go into the workspace <strong className="font-medium text-slate-900">{workspaces[0]?.name}</strong>.
            </p>
          )}
          {/* The drop zone only adds drag-and-drop; the file input inside it is the accessible control. */}
          <div
            onDragOver={(e) => {
              e.preventDefault();
              if (!uploading) setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => {
              e.preventDefault();
              setDragging(false);
              if (!uploading) pick(e.dataTransfer.files[0]);
            }}
            className={
              dragging
                ? "flex flex-col items-center gap-3 rounded-lg border-2 border-dashed border-brand-500 bg-brand-50 px-6 py-10 text-center"
                : "flex flex-col items-center gap-3 rounded-lg border-2 border-dashed border-slate-300 bg-slate-50/60 px-6 py-10 text-center"
            }
          >
            <svg
              aria-hidden="true"
              viewBox="0 0 24 24"
              className="size-10 text-slate-400"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.5"
            >
              <path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
            </svg>
            <p className="text-sm text-slate-700">
              <span className="font-medium">Drag and drop a CSV file here</span>, or
            </p>
            <input
              ref={input}
              id={inputId}
              type="file"
              name="file"
              accept=".csv,text/csv"
              className="peer sr-only"
              aria-describedby={[hintId, error ? errorId : ""].filter(Boolean).join(" ")}
              disabled={uploading}
              onChange={(e) => pick(e.target.files?.[0])}
            />
            <label
              htmlFor={inputId}
              className="inline-flex h-10 cursor-pointer items-center rounded-md border border-slate-300 bg-white px-4 text-sm font-medium text-slate-900 shadow-xs hover:bg-slate-50 peer-focus-visible:outline-2 peer-focus-visible:outline-brand-500 peer-disabled:cursor-not-allowed peer-disabled:opacity-60"
            >
              Choose a file
            </label>
            <p id={hintId} className="text-xs text-slate-500">
              .csv up to 200 MB
            </p>
          </div>
          {file ? (
            <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-slate-200 px-4 py-3">
              <div className="flex min-w-0 items-center gap-3">
                <svg
                  aria-hidden="true"
                  viewBox="0 0 24 24"
                  className="size-6 shrink-0 text-brand-600"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.5"
                >
                  <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8l-5-5Z M14 3v5h5" />
                </svg>
                <div className="min-w-0">
                  <p className="truncate text-sm font-medium text-slate-900">{file.name}</p>
                  <p className="text-xs text-slate-500">{formatBytes(file.size)}</p>
                </div>
              </div>
              {!uploading ? (
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  onClick={() => {
                    setFile(null);
                    if (input.current) input.current.value = "";
                  }}
                >
                  Remove
                </Button>
              ) : null}
            </div>
          ) : null}
          {uploading ? (
            <div className="flex flex-col gap-2">
              <div className="flex items-center justify-between text-sm">
                <span id={progressLabel} className="font-medium text-slate-800">
                  {sent ? "Reading the file…" : "Uploading…"}
                </span>
                <span className="tabular-nums text-slate-600" aria-hidden="true">
                  {formatBytes(progress.loaded)} of {formatBytes(progress.total)} · {Math.floor(pct)}%
                </span>
              </div>
              <ProgressBar
                value={pct}
                labelledBy={progressLabel}
                valueText={`${Math.floor(pct)}%, ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}`}
              />
            </div>
          ) : null}
          <div className="flex gap-2">
            <Button type="submit" busy={uploading} disabled={!file}>
              {uploading ? (sent ? "Reading the file…" : "Uploading…") : "Upload and continue"}
            </Button>
            {uploading && !sent ? (
              <Button type="button" variant="secondary" onClick={() => xhr.current?.abort()}>
                Cancel upload
              </Button>
            ) : null}
          </div>
        </form>
      </CardBody>
    </Card>
  );
}

const TARGET_LABEL: Record<StandardTarget, string> = {
  email: "E-mail",
  firstName: "First name",
  lastName: "Last name",
  company: "Company",
  title: "Job title",
  phone: "Phone",
  website: "Website",
  city: "City",
  country: "Country",
  timezone: "Time zone",
  consentBasis: "Lawful basis",
  consentSource: "Consent source",
  consentCollectedAt: "Consent collected at",
};

function MappingStep({ upload: u, data: d, onStartOver }: { upload: Pending; data: Loaded; onStartOver: () => void }) {
  const f = useActionForm();
  const discard = useFetcher();
  const csrf = useCsrfToken();
  const [mapping, setMapping] = useState<string[]>(() => u.headers.map((h) => u.suggestedMapping[h] ?? "ignore"));
  const options = [
    ...STANDARD_TARGETS.map((t) => ({ value: t, label: TARGET_LABEL[t] })),
    ...d.fields.map((x) => ({ value: `custom.${x.key}`, label: `${x.label} (custom field)` })),
    { value: "ignore", label: "Don't import" },
  ];
  const label = (t: string) => options.find((o) => o.value === t)?.label ?? t;
  const counts = new Map<string, number>();
  for (const t of mapping) if (t !== "ignore") counts.set(t, (counts.get(t) ?? 0) + 1);
  const problems = [
    ...(counts.has("email") ? [] : ["Map one column to E-mail: leads are matched by their address."]),
    ...[...counts].filter(([, n]) => n > 1).map(([t]) => `Several columns are mapped to ${label(t)}; keep one.`),
  ];
  const lists = d.lists.filter((l) => l.workspaceId === u.workspaceId);
  const workspace = d.workspaces.find((w) => w.id === u.workspaceId)?.name;
  const imported = mapping.filter((t) => t !== "ignore").length;
  const problemsId = useId();
  return (
    <Card>
      <CardHeader
        title="2. Match the columns"
        description={`${u.filename} · ${formatBytes(u.sizeBytes)}${workspace ? ` · into ${workspace}` : ""}. We guessed the matches from the column names; check them.`}
        action={
          <Button
            type="button"
            variant="ghost"
            size="sm"
            onClick={() => {
              discard.submit({ intent: "discard", importId: u.id, csrf }, { method: "post" });
              onStartOver();
            }}
          >
            Choose another file
          </Button>
        }
      />
      <CardBody>
        <f.Form method="post" className="flex flex-col gap-6" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="start" />
          <input type="hidden" name="importId" value={u.id} />
          {f.formError ? (
            <Alert tone="error" title="The import could not start">
              {f.formError}
            </Alert>
          ) : null}
          <div>
            <Table caption="CSV columns, sample values and the lead field each one is imported as" className="min-w-[40rem]">
              <THead>
                <TR>
                  <TH>Column in your file</TH>
                  <TH>Sample values</TH>
                  <TH className="w-64">Import as</TH>
                </TR>
              </THead>
              <TBody>
                {u.headers.map((h, i) => {
                  const samples = u.preview
                    .map((r) => r[i] ?? "")
                    .filter((v) => v.trim() !== "")
                    .slice(0, 3);
                  const target = mapping[i] ?? "ignore";
                  const dup = target !== "ignore" && (counts.get(target) ?? 0) > 1;
                  return (
                    <TR key={h} className={target === "ignore" ? "text-slate-500" : undefined}>
                      <TD className="font-medium text-slate-900">
                        <input type="hidden" name={`col.${i}`} value={h} />
                        {h}
                      </TD>
                      <TD className="max-w-[22rem]">
                        {samples.length ? (
                          <ul className="flex flex-col gap-0.5 text-xs text-slate-600">
                            {samples.map((v, j) => (
                              // biome-ignore lint/suspicious/noArrayIndexKey: sample cells may repeat; order is fixed
                              <li key={j} className="truncate" title={v}>
                                {v}
                              </li>
                            ))}
                          </ul>
                        ) : (
                          <span className="text-xs text-slate-400">{u.preview.length ? "empty in the first rows" : "—"}</span>
                        )}
                      </TD>
                      <TD>
                        <Select
                          name={`map.${i}`}
                          aria-label={`Import the column “${h}” as`}
                          value={target}
                          onChange={(e) => setMapping((m) => m.map((t, j) => (j === i ? e.target.value : t)))}
                          options={options}
                          aria-invalid={dup || undefined}
                          aria-describedby={dup ? problemsId : undefined}
                          className="w-60"
                        />
                      </TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
            {!u.preview.length ? <p className="mt-2 text-xs text-slate-500">Sample values are shown right after uploading only.</p> : null}
          </div>

          <div className="grid gap-6 md:grid-cols-2">
            <fieldset className="flex flex-col gap-2">
              <legend className="text-sm font-medium text-slate-800">Leads that already exist</legend>
              <p className="text-xs text-slate-500">A lead exists when its e-mail address is already in your organization.</p>
              <Radio
                name="duplicates"
                value="skip"
                defaultChecked
                label="Skip them"
                description="Keep what you have; the file's row is counted as skipped."
              />
              <Radio
                name="duplicates"
                value="update"
                label="Update them"
                description="Fill in the file's values; empty cells never erase data."
              />
              {f.fieldError("duplicates") ? <p className="text-xs font-medium text-red-600">{f.fieldError("duplicates")}</p> : null}
            </fieldset>
            <div className="flex flex-col gap-4">
              <SelectField
                label="Add the leads to a list (optional)"
                name="listId"
                defaultValue=""
                options={[{ value: "", label: "Don't add to a list" }, ...lists.map((l) => ({ value: l.id, label: l.name }))]}
                hint={lists.length ? undefined : "This workspace has no lists yet; create them on the Leads page."}
              />
              <Checkbox
                name="importValidRows"
                label="Import the valid rows and skip the bad ones"
                description="Otherwise, if any row is invalid (e.g. a broken e-mail address), nothing is imported and you get a report to fix the file."
              />
            </div>
          </div>

          <div className="flex flex-col gap-3 border-t border-slate-100 pt-5">
            {problems.length ? (
              <ul id={problemsId} className="flex flex-col gap-1 text-sm font-medium text-amber-800" aria-live="polite">
                {problems.map((p) => (
                  <li key={p}>⚠ {p}</li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-600" aria-live="polite">
                {formatNumber(imported)} of {formatNumber(u.headers.length)} columns will be imported.
              </p>
            )}
            <div className="flex gap-2">
              <Button type="submit" busy={f.busy}>
                Start import
              </Button>
            </div>
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}

function Radio({
  name,
  value,
  label,
  description,
  defaultChecked,
}: {
  name: string;
  value: string;
  label: string;
  description: string;
  defaultChecked?: boolean;
}) {
  const id = useId();
  return (
    <div className="flex items-start gap-2.5">
      <input
        id={id}
        type="radio"
        name={name}
        value={value}
        defaultChecked={defaultChecked}
        className="mt-0.5 size-4 accent-brand-600"
        aria-describedby={`${id}-d`}
      />
      <div className="text-sm leading-tight">
        <label htmlFor={id} className="font-medium text-slate-800">
          {label}
        </label>
        <p id={`${id}-d`} className="mt-0.5 text-xs text-slate-500">
          {description}
        </p>
      </div>
    </div>
  );
}

function RecentImports({ imports, workspaces }: { imports: Loaded["imports"]; workspaces: Loaded["workspaces"] }) {
  const wsName = new Map(workspaces.map((w) => [w.id, w.name]));
  return (
    <Card>
      <CardHeader title="Recent imports" description="The last 50 files. Imports keep running when you leave the page." />
      <CardBody className={imports.length ? "py-2" : undefined}>
        {imports.length === 0 ? (
          <EmptyState title="No imports yet">Files you upload show up here with their progress and error reports.</EmptyState>
        ) : (
          <Table caption="Recent imports, newest first">
            <THead>
              <TR>
                <TH>File</TH>
                {workspaces.length > 1 ? <TH>Workspace</TH> : null}
                <TH>Status</TH>
                <TH>Rows</TH>
                <TH>Uploaded</TH>
                <TH>
                  <span className="sr-only">Open</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {imports.map((i) => (
                <TR key={i.id}>
                  <TD className="max-w-[16rem]">
                    <p className="truncate font-medium text-slate-900" title={i.filename}>
                      {i.filename}
                    </p>
                    <p className="text-xs text-slate-500">{formatBytes(i.sizeBytes)}</p>
                  </TD>
                  {workspaces.length > 1 ? <TD className="text-slate-600">{wsName.get(i.workspaceId) ?? "—"}</TD> : null}
                  <TD>
                    <ImportStatusBadge status={i.status} />
                    {i.status === "validating" || i.status === "importing" ? (
                      <span className="ml-2 text-xs tabular-nums text-slate-500">{i.percent}%</span>
                    ) : null}
                  </TD>
                  <TD className="whitespace-nowrap tabular-nums text-slate-600">
                    {i.status === "uploaded"
                      ? "—"
                      : i.status === "completed"
                        ? `${formatNumber(i.rowsImported)} new · ${formatNumber(i.rowsUpdated)} updated`
                        : i.totalRows != null
                          ? `${formatNumber(i.rowsRead)} of ${formatNumber(i.totalRows)} read`
                          : `${formatNumber(i.rowsRead)} read`}
                  </TD>
                  <TD className="whitespace-nowrap text-slate-600">
                    <RelativeTime value={i.createdAt} />
                  </TD>
                  <TD className="text-right">
                    {i.status === "uploaded" ? (
                      <Button asChild variant="secondary" size="sm">
                        <Link to={`/leads/import?${new URLSearchParams({ id: i.id })}`} aria-label={`Continue with ${i.filename}`}>
                          Continue
                        </Link>
                      </Button>
                    ) : (
                      <Button asChild variant="ghost" size="sm">
                        <Link to={`/leads/imports/${i.id}`} aria-label={`Details of ${i.filename}`}>
                          Details
                        </Link>
                      </Button>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </CardBody>
    </Card>
  );
}
