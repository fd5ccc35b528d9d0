import { Link } from "react-router";
import { cleanError, RunStatusBadge, sizeLabel } from "~/components/infra/status";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { DateTime, RelativeTime } from "~/components/ui/time";
import type { RunDto } from "../../../workers/infra/provisioning.ts";

/** Steps finished (done or not needed) out of all steps. */
export function runProgress(run: Pick<RunDto, "steps">) {
  const finished = run.steps.filter((s) => s.status === "done" || s.status === "skipped").length;
  const total = run.steps.length;
  return { finished, total, percent: total ? (finished / total) * 100 : 0 };
}

/** "Step 4 of 8: Install MailU on the node", or where a finished run ended. */
export function runPhase(run: Pick<RunDto, "steps" | "status">): string {
  const i = run.steps.findIndex((s) => s.status === "running" || s.status === "failed");
  if (run.status === "succeeded") return "All steps done";
  if (i >= 0) return `Step ${i + 1} of ${run.steps.length}: ${run.steps[i]!.label}`;
  const next = run.steps.findIndex((s) => s.status === "pending");
  if (run.status === "running" && next >= 0) return `Step ${next + 1} of ${run.steps.length}: ${run.steps[next]!.label}`;
  return run.status === "failed" ? "Stopped and rolled back" : "";
}

export function RunsTable({ runs }: { runs: RunDto[] }) {
  return (
    <Table caption="Provisioning runs, newest first">
      <THead>
        <TR>
          <TH>Domain</TH>
          <TH>Size</TH>
          <TH>Status</TH>
          <TH>Progress</TH>
          <TH>Started</TH>
        </TR>
      </THead>
      <TBody>
        {runs.map((r) => {
          const p = runProgress(r);
          return (
            <TR key={r.id} className="hover:bg-slate-50">
              <TD>
                <Link
                  to={`/infrastructure/runs/${r.id}`}
                  className="break-all font-medium text-slate-900 hover:text-brand-700 hover:underline"
                >
                  {r.domainName}
                </Link>
                <p className="text-xs text-slate-500">
                  mail.{r.domainName}
                  {r.mailboxes.length ? ` · ${r.mailboxes.length} ${r.mailboxes.length === 1 ? "mailbox" : "mailboxes"}` : ""}
                </p>
              </TD>
              <TD className="text-slate-700">{sizeLabel(r.size)}</TD>
              <TD>
                <RunStatusBadge status={r.status} />
              </TD>
              <TD>
                <p className="text-sm text-slate-700">{runPhase(r)}</p>
                <p className="text-xs tabular-nums text-slate-500">
                  {p.finished} of {p.total} steps
                </p>
                {r.status === "failed" && r.error ? (
                  <p className="mt-0.5 line-clamp-2 max-w-80 text-xs text-red-700">{cleanError(r.error)}</p>
                ) : null}
              </TD>
              <TD className="whitespace-nowrap text-slate-600">
                <RelativeTime value={r.createdAt} />
                {r.finishedAt ? (
                  <p className="text-xs text-slate-500">
                    ended <DateTime value={r.finishedAt} />
                  </p>
                ) : null}
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
