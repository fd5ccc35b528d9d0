import { useEffect, useId } from "react";
import { data, Link, useRevalidator } from "react-router";
import { z } from "zod";
import { formatBytes, formatDuration, formatNumber, plural } from "~/components/leads/format";
import { RouteError } from "~/components/leads/not-found";
import { ImportStatusBadge, isImportRunning } from "~/components/leads/status";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { ConfirmDialog } from "~/components/ui/dialog";
import { PageHeader } from "~/components/ui/page-header";
import { ProgressBar } from "~/components/ui/progress";
import { DateTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { cancelImport, getImport } from "../../../workers/leads/imports/service.ts";
import { listLists } from "../../../workers/leads/lists.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/import-progress";

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: `${loaderData?.imp.filename ?? "Import"} · Import · PenguinMails` }];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const imp = await orHttp(getImport(scope, params.importId));
  const [workspaces, lists] = await Promise.all([orHttp(listWorkspaces(scope)), orHttp(listLists(scope, imp.workspaceId))]);
  return {
    imp,
    workspace: workspaces.find((w) => w.id === imp.workspaceId)?.name ?? null,
    list: imp.options?.listId ? (lists.find((l) => l.id === imp.options?.listId) ?? null) : null,
    canWrite: can(scope, "leads:write"),
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  if (form.get("intent") !== "cancel") throw data("Unknown action.", { status: 400 });
  return handleForm(form, z.object({}), () => cancelImport(scope, params.importId));
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} title="Import" back={{ to: "/leads/import", label: "Back to imports" }} />;
}

type Imp = Route.ComponentProps["loaderData"]["imp"];

function phaseText(imp: Imp): string {
  if (imp.status === "validating") return imp.rowsRead === 0 ? "Starting…" : "Checking rows…";
  if (imp.status === "importing") return "Importing…";
  if (imp.status === "completed") return "Done";
  if (imp.status === "failed") return "Stopped";
  if (imp.status === "cancelled") return "Cancelled";
  return "Waiting for the column mapping";
}

export default function ImportProgress({ loaderData }: Route.ComponentProps) {
  const { imp, workspace, list, canWrite } = loaderData;
  const running = isImportRunning(imp.status);
  const revalidator = useRevalidator();
  // Poll once a second while the job runs; stops by itself once it has finished.
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") void revalidator.revalidate();
    }, 1000);
    return () => clearInterval(t);
  }, [running, revalidator]);

  const labelId = useId();
  const problems = imp.rowsFailed + imp.rowsSkipped + imp.rowsSuppressed;
  const tone =
    imp.status === "completed" ? "success" : imp.status === "failed" ? "danger" : imp.status === "cancelled" ? "neutral" : "brand";
  const phase = phaseText(imp);
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Link to="/leads/import" className="w-fit text-sm font-medium text-brand-700 hover:underline">
          ← Import leads
        </Link>
        <PageHeader
          title={imp.filename}
          description={
            <>
              {formatBytes(imp.sizeBytes)}
              {workspace ? ` · into ${workspace}` : ""}
              {list ? ` · added to the list “${list.name}”` : ""}
              {imp.options ? ` · existing leads ${imp.options.duplicates === "update" ? "are updated" : "are skipped"}` : ""}
            </>
          }
          action={<ImportStatusBadge status={imp.status} />}
        />
      </div>

      {imp.status === "uploaded" ? (
        <Alert tone="info" title="Not started yet">
          Match the file's columns to lead fields to start the import.{" "}
          <Link to={`/leads/import?${new URLSearchParams({ id: imp.id })}`} className="font-medium underline">
            Continue
          </Link>
        </Alert>
      ) : null}
      {imp.status === "completed" ? (
        <Alert tone="success" title="Import finished">
          {plural(imp.rowsImported, "new lead")} added
          {imp.rowsUpdated ? `, ${plural(imp.rowsUpdated, "lead")} updated` : ""}
          {problems ? `; ${plural(problems, "row")} not imported (see the report)` : ""}.{" "}
          <Link to="/leads" className="font-medium underline">
            View your leads
          </Link>
        </Alert>
      ) : null}
      {imp.status === "failed" ? (
        <Alert tone="error" title="The import failed">
          {imp.error ?? "Something went wrong while importing."}{" "}
          <Link to="/leads/import" className="font-medium underline">
            Upload a corrected file
          </Link>
        </Alert>
      ) : null}
      {imp.status === "cancelled" ? (
        <Alert tone="warning" title="Import cancelled">
          {imp.rowsImported + imp.rowsUpdated > 0
            ? `Rows imported before the cancel stay: ${plural(imp.rowsImported, "new lead")}, ${plural(imp.rowsUpdated, "update")}.`
            : "Nothing was imported."}
        </Alert>
      ) : null}

      <Card>
        <CardHeader
          title="Progress"
          description={running ? "This page updates every second. You can leave it; the import keeps running." : undefined}
          action={
            running && canWrite ? (
              <ConfirmDialog
                trigger={
                  <Button variant="secondary" size="sm">
                    Cancel import
                  </Button>
                }
                title="Cancel this import?"
                description="It stops after the batch in progress. Leads imported so far stay; you can delete them from the Leads page."
                intent="cancel"
                confirmLabel="Cancel import"
              />
            ) : null
          }
        />
        <CardBody className="flex flex-col gap-5">
          <div className="flex flex-col gap-2">
            <div className="flex items-baseline justify-between gap-3">
              <p id={labelId} className="text-sm font-medium text-slate-800">
                {phase}
              </p>
              <p className="text-2xl font-semibold tabular-nums text-slate-900" aria-hidden="true">
                {imp.percent}%
              </p>
            </div>
            <ProgressBar value={imp.percent} labelledBy={labelId} valueText={`${imp.percent}%, ${phase}`} tone={tone} />
            <p className="sr-only" aria-live="polite">
              {phase}
            </p>
            {running ? (
              <p className="text-sm text-slate-600">
                {imp.rowsPerSecond > 0 ? `${formatNumber(Math.round(imp.rowsPerSecond))} rows per second` : "Measuring speed…"}
                {imp.etaSeconds != null ? ` · ${formatDuration(imp.etaSeconds)} left` : ""}
                {imp.status === "validating" ? " · every row is checked before anything is imported" : ""}
              </p>
            ) : null}
          </div>

          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            <Counter label="Rows read" value={imp.rowsRead} total={imp.totalRows} />
            <Counter label="Imported" value={imp.rowsImported} tone={imp.rowsImported ? "success" : undefined} />
            <Counter label="Updated" value={imp.rowsUpdated} />
            <Counter label="Skipped" value={imp.rowsSkipped} hint="Existing or repeated" />
            <Counter
              label="Suppressed"
              value={imp.rowsSuppressed}
              hint="Do-not-contact"
              tone={imp.rowsSuppressed ? "warning" : undefined}
            />
            <Counter label="Failed" value={imp.rowsFailed} hint="Invalid rows" tone={imp.rowsFailed ? "danger" : undefined} />
          </dl>

          {problems > 0 ? (
            <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-slate-200 bg-slate-50 px-4 py-3">
              <p className="text-sm text-slate-700">
                {plural(problems, "row")} {running ? "so far were" : "were"} not imported. The report lists each row with the reason.
              </p>
              <Button asChild variant="secondary" size="sm">
                <a href={`/leads/imports/${imp.id}/errors`} download>
                  Download error report
                </a>
              </Button>
            </div>
          ) : null}

          <dl className="grid gap-x-6 gap-y-2 border-t border-slate-100 pt-4 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-xs font-medium text-slate-500">Uploaded</dt>
              <dd className="text-slate-800">
                <DateTime value={imp.createdAt} />
              </dd>
            </div>
            <div>
              <dt className="text-xs font-medium text-slate-500">Started</dt>
              <dd className="text-slate-800">{imp.startedAt ? <DateTime value={imp.startedAt} /> : "—"}</dd>
            </div>
            <div>
              <dt className="text-xs font-medium text-slate-500">Finished</dt>
              <dd className="text-slate-800">{imp.finishedAt ? <DateTime value={imp.finishedAt} /> : "—"}</dd>
            </div>
          </dl>
        </CardBody>
      </Card>
      {!running && imp.status !== "uploaded" ? (
        <div className="flex gap-2">
          <Button asChild>
            <Link to="/leads">Go to leads</Link>
          </Button>
          <Button asChild variant="secondary">
            <Link to="/leads/import">Import another file</Link>
          </Button>
        </div>
      ) : null}
    </div>
  );
}

function Counter({
  label,
  value,
  total,
  hint,
  tone,
}: {
  label: string;
  value: number;
  total?: number | null;
  hint?: string;
  tone?: "success" | "warning" | "danger";
}) {
  return (
    <div className="rounded-md border border-slate-200 px-3 py-2.5">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd
        className={
          tone === "success"
            ? "mt-0.5 text-lg font-semibold tabular-nums text-emerald-700"
            : tone === "warning"
              ? "mt-0.5 text-lg font-semibold tabular-nums text-amber-700"
              : tone === "danger"
                ? "mt-0.5 text-lg font-semibold tabular-nums text-red-700"
                : "mt-0.5 text-lg font-semibold tabular-nums text-slate-900"
        }
      >
        {formatNumber(value)}
        {total != null ? <span className="block text-xs font-normal text-slate-500">of {formatNumber(total)}</span> : null}
      </dd>
      {hint ? <dd className="text-xs text-slate-500">{hint}</dd> : null}
    </div>
  );
}
