import { Form, Link, useNavigation } from "react-router";
import { z } from "zod";
import { Alert, EmptyState, NoOrganization } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Field } from "~/components/ui/field";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { RelativeTime } from "~/components/ui/time";
import { NoWorkspace } from "~/components/workspace-scope";
import { scopeContext } from "~/lib/context";
import { orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { listTemplates } from "../../../workers/templates/service.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/index";

export const meta: Route.MetaFunction = () => [{ title: "Templates · PenguinMails" }];

const Query = z.object({
  workspace: z.string().max(64).optional().catch(undefined),
  tag: z.string().trim().max(40).optional().catch(undefined),
  q: z.string().trim().max(120).optional().catch(undefined),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const sp = new URL(request.url).searchParams;
  const filters = Query.parse({
    workspace: sp.get("workspace") || undefined,
    tag: sp.get("tag") || undefined,
    q: sp.get("q") || undefined,
  });
  const deleted = sp.get("deleted");
  if (!session.tenant) return { tenant: false as const, workspaces: [], templates: [], allTags: [], total: 0, filters, deleted };
  const workspaces = await orHttp(listWorkspaces(scope));
  // A workspace id from an old link that is gone (or not yours) just means "all workspaces".
  const workspaceId = workspaces.some((w) => w.id === filters.workspace) ? filters.workspace : undefined;
  const filtered = !!(filters.tag || filters.q);
  const [templates, all] = await Promise.all([
    orHttp(listTemplates(scope, { workspaceId, tag: filters.tag, q: filters.q })),
    // The tag menu lists every tag in scope, not only those left after filtering.
    filtered ? orHttp(listTemplates(scope, { workspaceId })) : null,
  ]);
  const everything = all ?? templates;
  return {
    tenant: true as const,
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
    templates,
    allTags: [...new Set(everything.flatMap((t) => t.tags))].sort((a, b) => a.localeCompare(b)),
    total: everything.length,
    filters: { ...filters, workspace: workspaceId },
    deleted,
  };
}

type Template = Route.ComponentProps["loaderData"]["templates"][number];

/** Folders in name order, "No folder" last; templates keep the verb's newest-first order inside each. */
function byFolder(templates: readonly Template[]) {
  const groups = new Map<string | null, Template[]>();
  for (const t of templates) {
    const list = groups.get(t.folder) ?? [];
    list.push(t);
    groups.set(t.folder, list);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
}

export default function Templates({ loaderData }: Route.ComponentProps) {
  const { tenant, workspaces, templates, allTags, total, filters, deleted } = loaderData;
  const nav = useNavigation();
  const filtering = nav.state === "loading" && nav.location.pathname === "/templates";
  const anyFilter = !!(filters.workspace || filters.tag || filters.q);
  const wsName = new Map(workspaces.map((w) => [w.id, w.name]));
  const showWorkspace = !filters.workspace && workspaces.length > 1;
  const newHref = filters.workspace ? `/templates/new?${new URLSearchParams({ workspace: filters.workspace })}` : "/templates/new";
  const tagHref = (tag: string) => `?${new URLSearchParams({ ...(filters.workspace ? { workspace: filters.workspace } : {}), tag })}`;

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Templates"
        description="Reusable cold e-mails: a plain-text message with merge fields and spintax, checked before it is ever sent."
        action={
          tenant && workspaces.length ? (
            <Button asChild>
              <Link to={newHref}>New template</Link>
            </Button>
          ) : null
        }
      />
      {deleted !== null ? (
        <Alert tone="success">{deleted ? `Template “${deleted}” was deleted.` : "The template was deleted."}</Alert>
      ) : null}
      {!tenant ? (
        <NoOrganization />
      ) : workspaces.length === 0 ? (
        <NoWorkspace>
          Templates belong to a workspace (one per client or brand). Create one first, or ask an admin to add you to one.
        </NoWorkspace>
      ) : total === 0 && !anyFilter ? (
        <Intro href={newHref} />
      ) : (
        <>
          <Form method="get" role="search" className="flex flex-wrap items-end gap-3" aria-label="Filter templates">
            {workspaces.length > 1 ? (
              <SelectField
                label="Workspace"
                name="workspace"
                options={[{ value: "", label: "All workspaces" }, ...workspaces.map((w) => ({ value: w.id, label: w.name }))]}
                defaultValue={filters.workspace ?? ""}
                key={`ws-${filters.workspace ?? ""}`}
                className="w-52"
              />
            ) : null}
            <SelectField
              label="Tag"
              name="tag"
              options={[
                { value: "", label: allTags.length ? "All tags" : "No tags yet" },
                ...allTags.map((t) => ({ value: t, label: t })),
                ...(filters.tag && !allTags.includes(filters.tag) ? [{ value: filters.tag, label: filters.tag }] : []),
              ]}
              defaultValue={filters.tag ?? ""}
              key={`tag-${filters.tag ?? ""}`}
              disabled={!allTags.length && !filters.tag}
              className="w-44"
            />
            <Field
              label="Search names"
              name="q"
              type="search"
              defaultValue={filters.q ?? ""}
              key={`q-${filters.q ?? ""}`}
              placeholder="e.g. follow-up"
              className="w-60"
            />
            <Button type="submit" variant="secondary" busy={filtering}>
              Filter
            </Button>
            {anyFilter ? (
              <Link to="/templates" className="py-2.5 text-sm font-medium text-brand-700 underline">
                Clear filters
              </Link>
            ) : null}
          </Form>

          <p className="sr-only" role="status">
            {templates.length === 1 ? "1 template" : `${templates.length} templates`}
            {anyFilter ? " match the filters." : "."}
          </p>

          {templates.length === 0 ? (
            <EmptyState
              title="No templates match"
              action={
                <Link to="/templates" className="text-sm font-medium text-brand-700 underline">
                  Show all templates
                </Link>
              }
            >
              Try another tag or search. Search looks at template names.
            </EmptyState>
          ) : (
            byFolder(templates).map(([folder, items]) => (
              <Card key={folder ?? "\u0000none"}>
                <CardHeader
                  title={folder ?? "No folder"}
                  description={`${items.length} ${items.length === 1 ? "template" : "templates"}`}
                  action={
                    <Button asChild variant="ghost" size="sm">
                      <Link
                        to={`/templates/new?${new URLSearchParams({
                          ...(filters.workspace ? { workspace: filters.workspace } : {}),
                          ...(folder ? { folder } : {}),
                        })}`}
                        aria-label={folder ? `New template in ${folder}` : "New template without a folder"}
                      >
                        + New here
                      </Link>
                    </Button>
                  }
                />
                <CardBody className="py-2">
                  {/* Fixed layout: the same columns line up from one folder to the next. */}
                  <Table caption={`Templates in ${folder ?? "no folder"}`} className="table-fixed">
                    <THead>
                      <TR>
                        <TH className="w-[28%]">Name</TH>
                        <TH>Subject</TH>
                        <TH className="w-[22%]">Tags</TH>
                        {showWorkspace ? <TH className="w-[14%]">Workspace</TH> : null}
                        <TH className="w-32 text-right">Updated</TH>
                      </TR>
                    </THead>
                    <TBody>
                      {items.map((t) => (
                        <TR key={t.id} className="hover:bg-slate-50">
                          <TD>
                            <Link
                              to={`/templates/${t.id}`}
                              className="break-words font-medium text-slate-900 hover:text-brand-700 hover:underline"
                            >
                              {t.name}
                            </Link>
                            {t.html ? <p className="text-xs text-slate-500">Plain text + HTML</p> : null}
                          </TD>
                          <TD>
                            {t.subject ? (
                              <p className="truncate font-mono text-xs text-slate-700" title={t.subject}>
                                {t.subject}
                              </p>
                            ) : (
                              <span className="text-xs italic text-slate-400">No subject</span>
                            )}
                          </TD>
                          <TD>
                            {t.tags.length ? (
                              <ul className="flex flex-wrap gap-1" aria-label="Tags">
                                {t.tags.map((tag) => (
                                  <li key={tag}>
                                    <Link to={tagHref(tag)} aria-label={`Show templates tagged ${tag}`}>
                                      <Badge tone={tag === filters.tag ? "brand" : "neutral"} className="hover:bg-slate-200">
                                        {tag}
                                      </Badge>
                                    </Link>
                                  </li>
                                ))}
                              </ul>
                            ) : (
                              <span className="text-slate-400">—</span>
                            )}
                          </TD>
                          {showWorkspace ? <TD className="truncate text-slate-600">{wsName.get(t.workspaceId) ?? "—"}</TD> : null}
                          <TD className="whitespace-nowrap text-right text-slate-600">
                            <RelativeTime value={t.updatedAt} />
                          </TD>
                        </TR>
                      ))}
                    </TBody>
                  </Table>
                </CardBody>
              </Card>
            ))
          )}
        </>
      )}
    </div>
  );
}

/** The first-visit empty state: what a template is and what it can do. */
function Intro({ href }: { href: string }) {
  return (
    <Card>
      <CardBody className="flex flex-col gap-5 py-8 sm:px-8">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">No templates yet</h2>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            A template is one cold e-mail you reuse across campaigns. Write it as plain text first (it looks personal and lands in the
            inbox), then personalise it:
          </p>
        </div>
        <ul className="grid gap-3 sm:grid-cols-3">
          <li className="rounded-lg border border-slate-200 p-4">
            <p className="text-sm font-medium text-slate-900">Merge fields</p>
            <p className="mt-1 text-sm text-slate-600">
              <code className="font-mono text-xs">{'{{first_name | default: "there"}}'}</code> fills in each lead's data, with a fallback
              when it is missing.
            </p>
          </li>
          <li className="rounded-lg border border-slate-200 p-4">
            <p className="text-sm font-medium text-slate-900">Spintax</p>
            <p className="mt-1 text-sm text-slate-600">
              <code className="font-mono text-xs">{"{Hi|Hello|Hey}"}</code> picks one variant per lead, so no two messages are identical.
            </p>
          </li>
          <li className="rounded-lg border border-slate-200 p-4">
            <p className="text-sm font-medium text-slate-900">Checked and compliant</p>
            <p className="mt-1 text-sm text-slate-600">
              Typos in variables are caught before saving, and your postal address and unsubscribe link are added to every message.
            </p>
          </li>
        </ul>
        <div>
          <Button asChild>
            <Link to={href}>Write your first template</Link>
          </Button>
        </div>
      </CardBody>
    </Card>
  );
}
