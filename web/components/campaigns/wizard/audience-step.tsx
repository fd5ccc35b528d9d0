import { Link } from "react-router";
import { formatNumber, plural } from "~/components/leads/format";
import { EmptyState } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Checkbox } from "~/components/ui/checkbox";

export interface ListOption {
  id: string;
  name: string;
  leads: number;
}

/** Step 2: the workspace's lead lists, with how many leads each holds. */
export function AudienceStep({
  workspaceName,
  lists,
  selected,
  onChange,
  error,
  locked,
}: {
  workspaceName: string;
  lists: readonly ListOption[];
  selected: string[];
  onChange: (ids: string[]) => void;
  error?: string;
  /** After launch the audience is enrolled: lists are shown, not changed. */
  locked?: boolean;
}) {
  const total = lists.filter((l) => selected.includes(l.id)).reduce((n, l) => n + l.leads, 0);
  const toggle = (id: string, on: boolean) => onChange(on ? [...selected, id] : selected.filter((x) => x !== id));
  return (
    <Card>
      <CardHeader
        title="Who should get this campaign?"
        description={
          locked
            ? "The audience was enrolled at launch, so the lists can no longer change. Start a new campaign for new leads."
            : `Lead lists from ${workspaceName}. The workspace is fixed once the draft exists.`
        }
        action={
          <Button asChild variant="ghost" size="sm">
            <Link to="/leads">Manage leads</Link>
          </Button>
        }
      />
      <CardBody className="flex flex-col gap-4">
        {lists.length === 0 ? (
          <EmptyState
            title="No lead lists in this workspace"
            action={
              <Button asChild variant="secondary" size="sm" className="mt-2">
                <Link to="/leads/import">Import leads from CSV</Link>
              </Button>
            }
          >
            Import a CSV into a new list, or select leads on the Leads page and add them to a list. Your draft is saved; come back here
            afterwards.
          </EmptyState>
        ) : (
          <fieldset aria-describedby={error ? "audience-error" : undefined} disabled={locked}>
            <legend className="mb-3 text-sm font-medium text-slate-800">Lists</legend>
            <ul className="grid gap-2 sm:grid-cols-2">
              {lists.map((l) => (
                <li
                  key={l.id}
                  className="rounded-md border border-slate-200 px-3 py-2.5 has-[:checked]:border-brand-500/50 has-[:checked]:bg-brand-50/40"
                >
                  <Checkbox
                    name="listIds"
                    value={l.id}
                    checked={selected.includes(l.id)}
                    onChange={(e) => toggle(l.id, e.target.checked)}
                    label={l.name}
                    description={plural(l.leads, "lead")}
                  />
                </li>
              ))}
            </ul>
          </fieldset>
        )}
        {error ? (
          <p id="audience-error" className="text-sm font-medium text-red-600">
            {error}
          </p>
        ) : null}
        {lists.length ? (
          <p className="text-sm text-slate-600" aria-live="polite">
            {selected.length ? (
              <>
                <span className="font-medium text-slate-900">{formatNumber(total)}</span> {total === 1 ? "lead" : "leads"} in{" "}
                {plural(selected.length, "list")}. Someone in several lists is written to once; unsubscribed, bounced and suppressed leads
                are skipped at launch.
              </>
            ) : (
              "No list chosen yet."
            )}
          </p>
        ) : null}
      </CardBody>
    </Card>
  );
}
