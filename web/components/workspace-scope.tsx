import type * as React from "react";
import { Form, Link } from "react-router";
import { EmptyState } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { SelectField } from "~/components/ui/select";

/** Shown on workspace-scoped pages to someone with no workspace: says why, links to the fix. */
export function NoWorkspace({ children }: { children: React.ReactNode }) {
  return (
    <EmptyState
      title="No workspace yet"
      action={
        <Button asChild variant="secondary" size="sm">
          <Link to="/settings/workspaces">Go to workspaces</Link>
        </Button>
      }
    >
      {children}
    </EmptyState>
  );
}

/** The "which workspace" filter of list pages (a GET form, so the choice lives in the URL). */
export function WorkspaceFilter({
  label,
  workspaces,
  filter,
  busy,
}: {
  /** Names the search landmark, e.g. "Filter campaigns". */
  label: string;
  workspaces: readonly { id: string; name: string }[];
  filter: string | null;
  busy: boolean;
}) {
  return (
    <Form method="get" role="search" aria-label={label} className="flex flex-wrap items-end gap-3">
      <SelectField
        label="Workspace"
        name="workspace"
        options={[{ value: "", label: "All workspaces" }, ...workspaces.map((w) => ({ value: w.id, label: w.name }))]}
        defaultValue={filter ?? ""}
        key={filter ?? ""}
        className="w-56"
      />
      <Button type="submit" variant="secondary" busy={busy}>
        Show
      </Button>
    </Form>
  );
}
