import type * as React from "react";
import { formatNumber, plural } from "~/components/leads/format";
import { zoneLabel } from "~/components/time-zones";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { cn } from "~/lib/cn";
import { conditionLabel, formatDays, formatWindow, waitPhrase } from "../format";
import type { ListOption } from "./audience-step";
import type { StepKey, WizardState } from "./model";
import { toPayload } from "./model";
import type { MailboxOption } from "./sender-step";

/** A launch checklist: every reason the campaign cannot start yet, or a green light. */
export function LaunchChecklist({ problems, refused }: { problems: readonly string[]; refused?: boolean }) {
  if (!problems.length) {
    return (
      <div
        role="status"
        className="flex items-center gap-2 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800"
      >
        <span aria-hidden="true">✓</span> Everything is in place: the campaign can launch.
      </div>
    );
  }
  return (
    <section
      role={refused ? "alert" : undefined}
      aria-labelledby="checklist-heading"
      className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800"
    >
      <h3 id="checklist-heading" className="font-semibold">
        {refused ? "The campaign cannot launch yet" : "Before you can launch"} ({problems.length} to fix)
      </h3>
      <ul className="mt-2 flex flex-col gap-1.5">
        {problems.map((p) => (
          <li key={p} className="flex gap-2">
            <span aria-hidden="true" className="font-semibold">
              ✕
            </span>
            <span>{p}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Section({
  title,
  step,
  onEdit,
  children,
}: {
  title: string;
  step: StepKey;
  onEdit: (s: StepKey) => void;
  children: React.ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1.5 border-b border-slate-100 py-4 first:pt-0 last:border-0 last:pb-0 sm:flex-row sm:gap-6">
      <h3 className="w-32 shrink-0 text-sm font-medium text-slate-500">{title}</h3>
      <div className="min-w-0 flex-1 text-sm text-slate-800">{children}</div>
      <div>
        <Button type="button" variant="ghost" size="sm" onClick={() => onEdit(step)} aria-label={`Edit ${title.toLowerCase()}`}>
          Edit
        </Button>
      </div>
    </div>
  );
}

/** Step 6: everything on one page before launch. */
export function ReviewStep({
  state,
  workspaceName,
  lists,
  mailboxes,
  onEdit,
  children,
}: {
  state: WizardState;
  workspaceName: string;
  lists: readonly ListOption[];
  mailboxes: readonly MailboxOption[];
  onEdit: (s: StepKey) => void;
  /** The checklist and launch controls. */
  children?: React.ReactNode;
}) {
  const chosenLists = lists.filter((l) => state.listIds.includes(l.id));
  const chosenBoxes = mailboxes.filter((m) => state.mailboxIds.includes(m.id));
  const leads = chosenLists.reduce((n, l) => n + l.leads, 0);
  const p = toPayload(state);
  const s = state.schedule;
  const missing = <span className="italic text-slate-400">Not set</span>;
  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader title="Review" description="Check the details; Edit jumps back to that step." />
        <CardBody>
          <Section title="Name" step="name" onEdit={onEdit}>
            <p className="font-medium">{state.name || missing}</p>
            <p className="text-xs text-slate-500">In {workspaceName}</p>
          </Section>
          <Section title="Audience" step="audience" onEdit={onEdit}>
            {chosenLists.length ? (
              <>
                <p>{chosenLists.map((l) => l.name).join(", ")}</p>
                <p className="text-xs text-slate-500">Up to {plural(leads, "lead")} (duplicates and suppressed leads are skipped)</p>
              </>
            ) : (
              missing
            )}
          </Section>
          <Section title="Sequence" step="sequence" onEdit={onEdit}>
            <ol className="flex flex-col gap-2">
              {state.steps.map((st, i) => (
                <li key={st.key}>
                  <p className="font-medium">
                    {i + 1}.{" "}
                    {i === 0
                      ? "At launch"
                      : `${waitPhrase(p.steps[i]?.waitMinutes ?? 0, i)} · ${conditionLabel(st.condition).toLowerCase()}`}
                  </p>
                  <ul className="mt-0.5 flex flex-col gap-0.5 text-xs text-slate-600">
                    {st.variants.map((v, k) => (
                      <li key={v.key} className={cn(!v.subject.trim() && "italic text-red-700")}>
                        {st.variants.length > 1 ? `Variant ${String.fromCharCode(65 + k)}: ` : ""}
                        {v.subject.trim() || "No subject yet"}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          </Section>
          <Section title="Sender" step="sender" onEdit={onEdit}>
            {chosenBoxes.length ? (
              <>
                <p className="break-words">{chosenBoxes.map((m) => m.email).join(", ")}</p>
                <p className="text-xs text-slate-500">
                  Up to {formatNumber(chosenBoxes.filter((m) => m.status === "active").reduce((n, m) => n + m.dailyLimit, 0))} e-mails a
                  day, rotating
                </p>
              </>
            ) : (
              missing
            )}
          </Section>
          <Section title="Schedule" step="schedule" onEdit={onEdit}>
            <p>
              {formatDays(s.days)}, {formatWindow(p.schedule.startMinute, p.schedule.endMinute)}
            </p>
            <p className="text-xs text-slate-500">
              {s.timezone === "lead" ? `Each lead's time zone (otherwise ${zoneLabel(s.fallbackTimezone)})` : zoneLabel(s.timezone)}
              {s.startDate ? ` · not before ${s.startDate}` : " · starts at launch"}
            </p>
            <p className="text-xs text-slate-500">
              Tracking: {[state.trackOpens ? "opens" : "", state.trackClicks ? "link clicks" : ""].filter(Boolean).join(" and ") || "off"}
            </p>
          </Section>
        </CardBody>
      </Card>
      {children}
    </div>
  );
}
