import { Link } from "react-router";
import { formatNumber } from "~/components/leads/format";
import { type MailboxStatus, MailboxStatusBadge } from "~/components/mailboxes/status";
import { EmptyState } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";

export interface MailboxOption {
  id: string;
  email: string;
  fromName: string;
  status: string;
  statusReason: string | null;
  dailyLimit: number;
  minGapSeconds: number;
  sentToday: number | null;
}

/** Step 4: which mailboxes send, and how rotation picks among them. */
export function SenderStep({
  mailboxes,
  selected,
  onChange,
  error,
  disabled,
}: {
  mailboxes: readonly MailboxOption[];
  selected: string[];
  onChange: (ids: string[]) => void;
  error?: string;
  disabled?: boolean;
}) {
  const chosen = mailboxes.filter((m) => selected.includes(m.id));
  const capacity = chosen.filter((m) => m.status === "active").reduce((n, m) => n + m.dailyLimit, 0);
  const domains = new Set(chosen.map((m) => m.email.split("@")[1]));
  const toggle = (id: string, on: boolean) => onChange(on ? [...selected, id] : selected.filter((x) => x !== id));
  return (
    <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <Card>
        <CardHeader
          title="Send from"
          description="Pick one mailbox or several; with several, sends rotate between them."
          action={
            mailboxes.length > 1 && !disabled ? (
              <div className="flex shrink-0 gap-1 whitespace-nowrap">
                <Button type="button" variant="ghost" size="sm" onClick={() => onChange(mailboxes.map((m) => m.id))}>
                  Select all
                </Button>
                <Button type="button" variant="ghost" size="sm" onClick={() => onChange([])}>
                  None
                </Button>
              </div>
            ) : null
          }
        />
        <CardBody className="flex flex-col gap-3">
          {mailboxes.length === 0 ? (
            <EmptyState
              title="No mailboxes in this workspace"
              action={
                <Button asChild variant="secondary" size="sm" className="mt-2">
                  <Link to="/mailboxes">Connect a mailbox</Link>
                </Button>
              }
            >
              Connect one (your draft is saved), then come back to this step.
            </EmptyState>
          ) : (
            <fieldset disabled={disabled} aria-describedby={error ? "sender-error" : undefined}>
              <legend className="sr-only">Mailboxes</legend>
              <ul className="flex flex-col gap-2">
                {mailboxes.map((m) => {
                  const id = `mbx-${m.id}`;
                  return (
                    <li
                      key={m.id}
                      className="flex flex-wrap items-center gap-3 rounded-md border border-slate-200 px-3 py-2.5 has-[:checked]:border-brand-500/50 has-[:checked]:bg-brand-50/40"
                    >
                      <input
                        id={id}
                        type="checkbox"
                        className="size-4 shrink-0 rounded border-slate-300 accent-brand-600"
                        checked={selected.includes(m.id)}
                        onChange={(e) => toggle(m.id, e.target.checked)}
                        aria-describedby={`${id}-meta`}
                      />
                      <label htmlFor={id} className="min-w-0 flex-1 text-sm">
                        <span className="block break-all font-medium text-slate-900">{m.email}</span>
                        <span className="block text-xs text-slate-500">{m.fromName}</span>
                      </label>
                      <span id={`${id}-meta`} className="flex flex-col items-end gap-1 text-xs text-slate-600">
                        <MailboxStatusBadge status={m.status as MailboxStatus} />
                        <span className="tabular-nums">
                          {m.sentToday ?? "?"} / {m.dailyLimit} today · {m.minGapSeconds} s gap
                        </span>
                        {m.status !== "active" ? (
                          <span className="text-amber-800">
                            {m.status === "error" ? (m.statusReason ?? "Not sending") : "Paused: skipped"}
                          </span>
                        ) : null}
                      </span>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
          )}
          {error ? (
            <p id="sender-error" className="text-sm font-medium text-red-600">
              {error}
            </p>
          ) : null}
          {mailboxes.length ? (
            <p className="text-sm text-slate-600" aria-live="polite">
              {chosen.length ? (
                <>
                  {chosen.length} {chosen.length === 1 ? "mailbox" : "mailboxes"} on {domains.size}{" "}
                  {domains.size === 1 ? "domain" : "domains"} · up to{" "}
                  <span className="font-medium text-slate-900">{formatNumber(capacity)}</span> e-mails a day together (shared with their
                  other campaigns).
                </>
              ) : (
                "No mailbox chosen yet."
              )}
            </p>
          ) : null}
        </CardBody>
      </Card>
      <aside aria-labelledby="rotation-heading" className="rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700">
        <h3 id="rotation-heading" className="font-semibold text-slate-900">
          How rotation works
        </h3>
        <ul className="mt-2 flex list-disc flex-col gap-1.5 pl-4">
          <li>Each send goes from the chosen mailbox that has sent the fewest e-mails today.</li>
          <li>A mailbox at its daily limit, inside its minimum gap, paused or in error is skipped.</li>
          <li>Two sends in a row avoid the same domain whenever another domain is available.</li>
          <li>When every mailbox is full for the day, sending waits until tomorrow.</li>
        </ul>
        <p className="mt-3">
          <Link to="/mailboxes" className="font-medium text-brand-700 underline">
            Change limits on the Mailboxes page
          </Link>
        </p>
      </aside>
    </div>
  );
}
