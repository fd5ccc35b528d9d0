import { Link } from "react-router";
import { KeysetPager, type Paging } from "~/components/leads/pager";
import { EmptyState } from "~/components/ui/alert";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { DateTime } from "~/components/ui/time";
import { conditionLabel, formatDays, formatWindow, waitPhrase } from "./format";
import { SendStatusBadge } from "./status";

export interface ActivityRow {
  id: string;
  leadId: string;
  to: string | null;
  position: number | null;
  variant: string | null;
  mailbox: string | null;
  status: string;
  attempts: number;
  queuedAt: string;
  sentAt: string | null;
  error: string | null;
}

/** Recent sends, newest first, or one lead's timeline in this campaign (?lead=). */
export function ActivityCard({
  activity,
  paging,
  leadId,
  pageSize,
  status,
}: {
  activity: { items: ActivityRow[]; nextCursor: string | null };
  paging: Paging;
  leadId: string | null;
  pageSize: number;
  status: string;
}) {
  const filters = new URLSearchParams(leadId ? { lead: leadId } : {});
  const leadEmail = leadId ? activity.items[0]?.to : null;
  return (
    <Card>
      <CardHeader
        title={leadId ? `Timeline of ${leadEmail ?? "this lead"}` : "Activity"}
        description={leadId ? "Every e-mail of this campaign to one lead." : "Every send, newest first."}
        action={
          leadId ? (
            <div className="flex flex-wrap gap-3 text-sm">
              <Link to={`/leads/${leadId}`} className="font-medium text-brand-700 underline">
                Lead profile
              </Link>
              <Link to="?" preventScrollReset className="font-medium text-brand-700 underline">
                Show all activity
              </Link>
            </div>
          ) : null
        }
      />
      <CardBody className="py-2">
        {activity.items.length === 0 ? (
          <div className="py-3">
            <EmptyState title={leadId ? "Nothing sent to this lead yet" : "Nothing sent yet"}>
              {status === "draft" ? "Sends show up here once the campaign is launched." : "Sends show up here as they happen."}
            </EmptyState>
          </div>
        ) : (
          <>
            <Table caption={leadId ? "Sends to this lead" : "Recent sends"}>
              <THead>
                <TR>
                  <TH>When</TH>
                  <TH>To</TH>
                  <TH>Step</TH>
                  <TH>From</TH>
                  <TH>Status</TH>
                </TR>
              </THead>
              <TBody>
                {activity.items.map((a) => (
                  <TR key={a.id}>
                    <TD className="text-slate-600">
                      <DateTime value={a.sentAt ?? a.queuedAt} stacked />
                    </TD>
                    <TD>
                      <Link to={`/leads/${a.leadId}`} className="break-all font-medium text-slate-900 hover:text-brand-700 hover:underline">
                        {a.to ?? "Deleted lead"}
                      </Link>
                      {!leadId ? (
                        <Link
                          to={`?${new URLSearchParams({ lead: a.leadId })}`}
                          preventScrollReset
                          className="block text-xs text-brand-700 hover:underline"
                          aria-label={`Timeline of ${a.to ?? "this lead"} in this campaign`}
                        >
                          Timeline
                        </Link>
                      ) : null}
                    </TD>
                    <TD className="whitespace-nowrap text-slate-700">
                      {a.position ? `Step ${a.position}` : "—"}
                      {a.variant ? <span className="text-slate-500"> · {a.variant}</span> : null}
                    </TD>
                    <TD className="break-all text-xs text-slate-600">{a.mailbox ?? "—"}</TD>
                    <TD>
                      <SendStatusBadge status={a.status} />
                      {a.attempts > 1 ? <p className="mt-0.5 text-xs text-slate-500">{a.attempts} attempts</p> : null}
                      {a.error ? <p className="mt-1 max-w-64 break-words text-xs text-red-700">{a.error}</p> : null}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
            <KeysetPager
              filters={filters}
              paging={paging}
              nextCursor={activity.nextCursor}
              shown={activity.items.length}
              pageSize={pageSize}
              noun="sends"
              label="Activity pages"
            />
          </>
        )}
      </CardBody>
    </Card>
  );
}

/** The soonest planned sends. */
export function NextSendsCard({
  upcoming,
  status,
}: {
  upcoming: { enrollmentId: string; leadId: string; email: string; position: number; at: string }[];
  status: string;
}) {
  return (
    <Card>
      <CardHeader
        title="Next sends"
        description={status === "paused" ? "On hold while the campaign is paused." : "The soonest planned e-mails."}
      />
      <CardBody className="py-2">
        {upcoming.length === 0 ? (
          <p className="py-3 text-sm text-slate-500">
            {status === "draft"
              ? "Sends are planned when the campaign launches."
              : status === "completed"
                ? "The campaign has finished."
                : "Nothing planned right now."}
          </p>
        ) : (
          <ol className="divide-y divide-slate-100">
            {upcoming.map((u) => (
              <li key={u.enrollmentId} className="flex flex-col py-2 text-sm">
                <Link
                  to={`/leads/${u.leadId}`}
                  title={u.email}
                  className="truncate font-medium text-slate-900 hover:text-brand-700 hover:underline"
                >
                  {u.email}
                </Link>
                <span className="text-xs text-slate-500">
                  Step {u.position} · <DateTime value={u.at} />
                </span>
              </li>
            ))}
          </ol>
        )}
      </CardBody>
    </Card>
  );
}

interface SequenceLike {
  schedule: Record<string, unknown>;
  steps: {
    id: string;
    position: number;
    waitMinutes: number;
    condition: string;
    variants: { id: string; label: string; subject: string }[];
  }[];
}

/** The sequence and schedule at a glance. */
export function SequenceCard({ c }: { c: SequenceLike }) {
  const s = c.schedule as { days?: number[]; startMinute?: number; endMinute?: number; timezone?: string; fallbackTimezone?: string };
  return (
    <Card>
      <CardHeader title="Sequence" />
      <CardBody className="flex flex-col gap-4">
        {c.steps.length === 0 ? (
          <p className="text-sm text-slate-500">No e-mails yet.</p>
        ) : (
          <ol className="flex flex-col gap-3">
            {c.steps.map((st) => (
              <li key={st.id} className="text-sm">
                <p className="font-medium text-slate-900">
                  {st.position}. {st.position === 1 ? "First e-mail" : waitPhrase(st.waitMinutes, st.position - 1)}
                </p>
                {st.position > 1 ? <p className="text-xs text-slate-500">{conditionLabel(st.condition)}</p> : null}
                <ul className="mt-1 flex flex-col gap-0.5">
                  {st.variants.map((v) => (
                    <li key={v.id} className="truncate text-xs text-slate-600" title={v.subject}>
                      {st.variants.length > 1 ? <span className="font-medium">{v.label}: </span> : null}
                      {v.subject || <span className="italic text-slate-400">no subject</span>}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        )}
        <div className="border-t border-slate-100 pt-3 text-sm text-slate-700">
          <p className="font-medium text-slate-900">Schedule</p>
          <p>
            {formatDays(s.days ?? [])}, {formatWindow(s.startMinute ?? 540, s.endMinute ?? 1020)}
          </p>
          <p className="text-xs text-slate-500">
            {s.timezone === "lead" ? `Each lead's time zone (otherwise ${s.fallbackTimezone ?? "UTC"})` : (s.timezone ?? "UTC")}
          </p>
        </div>
      </CardBody>
    </Card>
  );
}
