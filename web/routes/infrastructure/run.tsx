import { useEffect, useId, useRef } from "react";
import { Link } from "react-router";
import { useAutoRefresh } from "~/components/campaigns/refresh";
import { runPhase, runProgress } from "~/components/infra/runs-table";
import { cleanError, RunStatusBadge, type StepStatus, sizeLabel } from "~/components/infra/status";
import { RouteError } from "~/components/leads/not-found";
import { Alert } from "~/components/ui/alert";
import { Button, Spinner } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { PageHeader } from "~/components/ui/page-header";
import { ProgressBar } from "~/components/ui/progress";
import { ClockTime, DateTime } from "~/components/ui/time";
import { cn } from "~/lib/cn";
import { scopeContext } from "~/lib/context";
import { orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { getRun } from "../../../workers/infra/provisioning.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/run";

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: `${loaderData?.run.domainName ?? "Provisioning"} · Provisioning · PenguinMails` },
];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const [run, workspaces] = await Promise.all([orHttp(getRun(scope, params.runId)), orHttp(listWorkspaces(scope))]);
  return { run, workspace: workspaces.find((w) => w.id === run.workspaceId)?.name ?? null };
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} title="Provisioning run" back={{ to: "/infrastructure", label: "Back to infrastructure" }} />;
}

type Run = Route.ComponentProps["loaderData"]["run"];
type Step = Run["steps"][number];

export default function ProvisioningRun({ loaderData }: Route.ComponentProps) {
  const { run, workspace } = loaderData;
  const running = run.status === "running";
  // Every 3 s while the run is live; stops by itself once it has finished.
  const refreshing = useAutoRefresh(running ? 3_000 : null);
  const p = runProgress(run);
  const phase = runPhase(run);
  const labelId = useId();
  // The rollback's own log line is the full list of what was undone ("Rolled back: mailboxes removed, …").
  const undoneLine = run.log.findLast((l) => l.message.startsWith("Rolled back: "))?.message;
  const rolledBack = undoneLine
    ? undoneLine
        .replace(/^Rolled back: /, "")
        .replace(/\.$/, "")
        .split(", ")
    : run.steps.filter((s) => s.status === "rolled_back").map((s) => s.label);
  const rollbackProblems = run.log.filter((l) => l.message.startsWith("Rollback problem:")).map((l) => l.message);
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/infrastructure" className="text-brand-700 hover:underline">
          ← Infrastructure
        </Link>
      </nav>
      <PageHeader
        title={`Provisioning mail.${run.domainName}`}
        description={
          <span className="flex flex-wrap items-center gap-x-1.5 gap-y-1">
            <RunStatusBadge status={run.status} />
            <span>{sizeLabel(run.size)} node</span>
            {workspace ? <span>· in {workspace}</span> : null}
            <span>
              · started <DateTime value={run.createdAt} />
            </span>
            {running ? (
              <span className="text-slate-500" aria-hidden="true">
                · {refreshing ? "updating…" : "updates every 3 s"}
              </span>
            ) : null}
          </span>
        }
      />

      {run.status === "succeeded" ? (
        <Alert tone="success" title="Your node is ready">
          mail.{run.domainName} is up and {run.domainName} is set up on it
          {run.mailboxes.length ? ` with ${run.mailboxes.length} ${run.mailboxes.length === 1 ? "mailbox" : "mailboxes"}` : ""}. Check that
          every DNS record is found before sending.
          <span className="mt-2 flex flex-wrap gap-2">
            {run.domainId ? (
              <Button asChild size="sm">
                <Link to={`/domains/${run.domainId}`}>Open {run.domainName}</Link>
              </Button>
            ) : null}
            <Button asChild size="sm" variant="secondary">
              <Link to="/mailboxes">View mailboxes</Link>
            </Button>
          </span>
        </Alert>
      ) : null}
      {run.status === "failed" ? (
        <Alert tone="error" title="Provisioning failed">
          <p className="break-words">{cleanError(run.error) ?? "A step failed for good."}</p>
          {rolledBack.length ? (
            <>
              <p className="mt-2 font-medium">
                {rollbackProblems.length ? "Rolled back, with problems listed below:" : "Rolled back, so nothing is left half-built:"}
              </p>
              <ul className="ml-5 list-disc">
                {rolledBack.map((label) => (
                  <li key={label}>{label.charAt(0).toUpperCase() + label.slice(1)}</li>
                ))}
              </ul>
            </>
          ) : (
            <p className="mt-2">Nothing had been created yet, so there was nothing to roll back.</p>
          )}
          {rollbackProblems.length ? (
            <ul className="mt-2 ml-5 list-disc">
              {rollbackProblems.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          ) : null}
          <p className="mt-2">
            <Link to="/infrastructure#provision" className="font-medium underline">
              Try again
            </Link>{" "}
            once the cause is fixed; the domain is free to use again.
          </p>
        </Alert>
      ) : null}

      <Card>
        <CardHeader
          title="Steps"
          description={running ? "You can leave this page; provisioning keeps running and shows up under Infrastructure." : undefined}
        />
        <CardBody className="flex flex-col gap-5">
          <div className="flex flex-col gap-2">
            <div className="flex items-baseline justify-between gap-3">
              <p id={labelId} className="text-sm font-medium text-slate-800">
                {phase}
              </p>
              <p className="text-sm tabular-nums text-slate-600" aria-hidden="true">
                {p.finished} of {p.total}
              </p>
            </div>
            <ProgressBar
              value={p.percent}
              labelledBy={labelId}
              valueText={`${p.finished} of ${p.total} steps finished`}
              tone={run.status === "succeeded" ? "success" : run.status === "failed" ? "danger" : "brand"}
            />
            <p className="sr-only" aria-live="polite">
              {phase}
            </p>
          </div>
          <ol className="flex flex-col">
            {run.steps.map((s, i) => (
              <StepItem key={s.key} step={s} last={i === run.steps.length - 1} />
            ))}
          </ol>
        </CardBody>
      </Card>

      <RunLog log={run.log} />
    </div>
  );
}

const STEP_LOOK: Record<StepStatus, { text: string; dot: string; label: string }> = {
  pending: { text: "text-slate-500", dot: "border-slate-300 bg-white text-slate-400", label: "Waiting" },
  running: { text: "text-brand-700", dot: "border-brand-500 bg-brand-50 text-brand-600", label: "In progress" },
  done: { text: "text-emerald-700", dot: "border-emerald-500 bg-emerald-500 text-white", label: "Done" },
  failed: { text: "text-red-700", dot: "border-red-500 bg-red-500 text-white", label: "Failed" },
  skipped: { text: "text-slate-500", dot: "border-slate-300 bg-slate-100 text-slate-500", label: "Not needed" },
  rolled_back: { text: "text-amber-800", dot: "border-amber-500 bg-amber-50 text-amber-700", label: "Rolled back" },
};

function StepIcon({ status }: { status: StepStatus }) {
  if (status === "running") return <Spinner className="size-3.5" />;
  const path =
    status === "done"
      ? "m4.5 10.5 3.5 3.5 7.5-8"
      : status === "failed"
        ? "M6 6l8 8M14 6l-8 8"
        : status === "skipped"
          ? "M5 10h10"
          : status === "rolled_back"
            ? "M8 6 4 10l4 4M4.5 10H12a4 4 0 0 1 0 8h-1"
            : null;
  if (!path) return <span className="size-1.5 rounded-full bg-current" />;
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="2.2">
      <path d={path} />
    </svg>
  );
}

function StepItem({ step: s, last }: { step: Step; last: boolean }) {
  const look = STEP_LOOK[s.status as StepStatus] ?? STEP_LOOK.pending;
  return (
    <li className="relative flex gap-3 pb-5 last:pb-0" aria-current={s.status === "running" ? "step" : undefined}>
      {last ? null : <span aria-hidden="true" className="absolute left-3 top-7 -ml-px h-[calc(100%-1.75rem)] w-0.5 bg-slate-200" />}
      <span className={cn("relative z-10 flex size-6 shrink-0 items-center justify-center rounded-full border-2", look.dot)}>
        <StepIcon status={s.status as StepStatus} />
      </span>
      <div className="min-w-0 flex-1 pt-0.5">
        <p className="flex flex-wrap items-baseline gap-x-2 text-sm">
          <span className={cn("font-medium", s.status === "pending" ? "text-slate-600" : "text-slate-900")}>{s.label}</span>
          <span className={cn("text-xs font-medium", look.text)}>{look.label}</span>
          {s.attempts > 1 ? <span className="text-xs text-slate-500">attempt {s.attempts}</span> : null}
        </p>
        {s.detail ? <p className="mt-0.5 break-words text-sm text-slate-600">{s.detail}</p> : null}
        {s.error ? (
          <p className={cn("mt-0.5 break-words text-sm", s.status === "running" ? "text-amber-800" : "text-red-700")}>
            {s.status === "running" ? "Last attempt: " : ""}
            {cleanError(s.error)}
          </p>
        ) : null}
        {s.startedAt ? (
          <p className="mt-0.5 text-xs text-slate-500">
            Started <ClockTime value={s.startedAt} />
            {s.finishedAt ? ` · took ${took(s.startedAt, s.finishedAt)}` : null}
          </p>
        ) : null}
      </div>
    </li>
  );
}

/** "4 s", "3 min 10 s", "1 h 5 min". */
function took(from: string, to: string): string {
  const secs = Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000));
  if (secs < 60) return `${secs} s`;
  const mins = Math.floor(secs / 60);
  if (mins < 60) return `${mins} min${secs % 60 ? ` ${secs % 60} s` : ""}`;
  return `${Math.floor(mins / 60)} h${mins % 60 ? ` ${mins % 60} min` : ""}`;
}

const LEVEL: Record<string, string> = {
  info: "text-slate-600",
  warn: "text-amber-700",
  error: "text-red-700",
};

/**
 * Stable keys from the entries themselves: the server keeps only the last 100, so positions shift
 * once the log is longer, and a shifted index would make the live region re-read old lines.
 */
function keyed(log: Run["log"]) {
  const seen = new Map<string, number>();
  return log.map((l) => {
    const base = `${l.at}|${l.level}|${l.message}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { key: `${base}|${n}`, l };
  });
}

/** The run's log, newest last, kept scrolled to the end unless the reader scrolled up. */
function RunLog({ log }: { log: Run["log"] }) {
  const ref = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && pinned.current && log.length) el.scrollTop = el.scrollHeight;
  }, [log.length]);
  return (
    <Card>
      <CardHeader title="Log" description="What happened, newest last (times in your time zone)." />
      <CardBody>
        {log.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing logged yet.</p>
        ) : (
          <div
            ref={ref}
            role="log"
            aria-live="polite"
            aria-label="Provisioning log"
            tabIndex={0}
            onScroll={(e) => {
              const el = e.currentTarget;
              pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
            }}
            className="max-h-96 overflow-y-auto rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs leading-relaxed"
          >
            {keyed(log).map(({ key, l }) => (
              <p key={key} className="flex gap-3 py-0.5">
                <ClockTime value={l.at} className="shrink-0 whitespace-nowrap text-slate-500" />
                <span className={cn("w-10 shrink-0 font-semibold uppercase", LEVEL[l.level])}>{l.level}</span>
                <span className={cn("min-w-0 break-words", l.level === "info" ? "text-slate-800" : LEVEL[l.level])}>
                  {cleanError(l.message)}
                </span>
              </p>
            ))}
          </div>
        )}
      </CardBody>
    </Card>
  );
}
