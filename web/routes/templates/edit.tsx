import { data, redirect } from "react-router";
import { z } from "zod";
import { TemplateEditor } from "~/components/templates/template-editor";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/dialog";
import { RelativeTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { deleteTemplate, getTemplate, updateTemplate } from "../../../workers/templates/service.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/edit";
import { editorContext, runPreview, UpdateTemplateForm } from "./forms.server";

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `${loaderData.template.name} · Templates · PenguinMails` : "Template · PenguinMails" },
];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const template = await orHttp(getTemplate(scope, params.templateId));
  const [workspaces, editor] = await Promise.all([orHttp(listWorkspaces(scope)), orHttp(editorContext(scope, template.workspaceId))]);
  return {
    template,
    workspaceName: workspaces.find((w) => w.id === template.workspaceId)?.name ?? "this workspace",
    saved: new URL(request.url).searchParams.get("saved"),
    ...editor,
  };
}

const DeleteForm = z.object({ name: z.string().max(200).optional() });

export async function action({ request, context, params }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  switch (form.get("intent")) {
    case "preview":
      return runPreview(scope, form);
    case "save":
      return handleForm(form, UpdateTemplateForm, (input) => updateTemplate(scope, params.templateId, input));
    case "delete": {
      const res = await handleForm(form, DeleteForm, () => deleteTemplate(scope, params.templateId));
      if (res.data.ok) return redirect(`/templates?${new URLSearchParams({ deleted: form.get("name")?.toString() ?? "" })}`);
      return res;
    }
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

export default function EditTemplate({ loaderData }: Route.ComponentProps) {
  const { template: t, workspaceName, saved } = loaderData;
  return (
    <TemplateEditor
      // A different template (not a revalidation of this one) starts a fresh editor.
      key={t.id}
      mode="edit"
      title={t.name}
      description={
        <>
          In {workspaceName}
          {t.folder ? ` · ${t.folder}` : ""} · last saved <RelativeTime value={t.updatedAt} />
        </>
      }
      initial={{
        name: t.name,
        folder: t.folder ?? "",
        tags: t.tags.join(", "),
        subject: t.subject,
        text: t.text,
        html: t.html ?? "",
      }}
      workspaceId={t.workspaceId}
      leads={loaderData.leads}
      customFields={loaderData.customFields}
      folders={loaderData.folders}
      tags={loaderData.tags}
      notice={saved === "created" ? "Template created and saved." : saved ? "Saved." : null}
      actions={
        <ConfirmDialog
          trigger={
            <Button variant="ghost" className="text-red-700 hover:bg-red-50">
              Delete
            </Button>
          }
          title={`Delete “${t.name}”?`}
          description="The template is removed for everyone in the workspace. This cannot be undone."
          intent="delete"
          fields={{ name: t.name }}
          confirmLabel="Delete template"
        />
      }
    />
  );
}
