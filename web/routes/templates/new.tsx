import { data, redirect, useNavigate } from "react-router";
import { EMPTY_TEMPLATE, TemplateEditor } from "~/components/templates/template-editor";
import { PageHeader } from "~/components/ui/page-header";
import { NoWorkspace } from "~/components/workspace-scope";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { createTemplate } from "../../../workers/templates/service.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/new";
import { CreateTemplateForm, editorContext, runPreview } from "./forms.server";

export const meta: Route.MetaFunction = () => [{ title: "New template · PenguinMails" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const url = new URL(request.url);
  const none = { workspaces: [], workspaceId: null, leads: [], customFields: [], folders: [], tags: [], folder: "" };
  if (!session.tenant) return none;
  const workspaces = await orHttp(listWorkspaces(scope));
  const ws = workspaces.find((w) => w.id === url.searchParams.get("workspace")) ?? workspaces[0];
  if (!ws) return none;
  return {
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
    workspaceId: ws.id,
    // "New template" from a folder heading starts in that folder.
    folder: url.searchParams.get("folder")?.slice(0, 80) ?? "",
    ...(await orHttp(editorContext(scope, ws.id))),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  switch (form.get("intent")) {
    case "preview":
      return runPreview(scope, form);
    case "save": {
      const res = await handleForm(form, CreateTemplateForm, (input) => createTemplate(scope, input));
      const created = res.data.ok ? res.data.result : undefined;
      if (created) return redirect(`/templates/${created.id}?saved=created`);
      return res;
    }
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

export default function NewTemplate({ loaderData }: Route.ComponentProps) {
  const { workspaces, workspaceId } = loaderData;
  const navigate = useNavigate();
  if (!workspaceId) {
    return (
      <div className="mx-auto flex max-w-3xl flex-col gap-6">
        <PageHeader title="New template" />
        <NoWorkspace>
          Templates belong to a workspace (one per client or brand). Create a workspace first, or ask an admin to add you to one.
        </NoWorkspace>
      </div>
    );
  }
  return (
    <TemplateEditor
      mode="new"
      title="New template"
      description="Write the plain-text e-mail, add merge fields and spintax, and watch the preview as you type."
      initial={{ ...EMPTY_TEMPLATE, folder: loaderData.folder }}
      workspaceId={workspaceId}
      workspaces={workspaces}
      onWorkspaceChange={(id) => navigate(`?${new URLSearchParams({ workspace: id })}`, { replace: true, preventScrollReset: true })}
      leads={loaderData.leads}
      customFields={loaderData.customFields}
      folders={loaderData.folders}
      tags={loaderData.tags}
    />
  );
}
