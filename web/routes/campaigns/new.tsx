import { useNavigate } from "react-router";
import { initialState } from "~/components/campaigns/wizard/model";
import { CampaignWizard } from "~/components/campaigns/wizard/wizard";
import { PageHeader } from "~/components/ui/page-header";
import { NoWorkspace } from "~/components/workspace-scope";
import { envContext, scopeContext } from "~/lib/context";
import { assertCsrf, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/new";
import { wizardAction, wizardData } from "./wizard.server";

export const meta: Route.MetaFunction = () => [{ title: "New campaign · PenguinMails" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  if (!session.tenant) return { workspaces: [], workspace: null, data: null };
  const workspaces = await orHttp(listWorkspaces(scope));
  const ws = workspaces.find((w) => w.id === new URL(request.url).searchParams.get("workspace")) ?? workspaces[0];
  if (!ws) return { workspaces: [], workspace: null, data: null };
  return {
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
    workspace: { id: ws.id, name: ws.name },
    data: await orHttp(wizardData(scope, context.get(envContext), ws.id, null, true)),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  return wizardAction(scope, context.get(envContext), form, null);
}

export default function NewCampaign({ loaderData }: Route.ComponentProps) {
  const { workspaces, workspace, data } = loaderData;
  const navigate = useNavigate();
  if (!workspace || !data) {
    return (
      <div className="mx-auto flex max-w-3xl flex-col gap-6">
        <PageHeader title="New campaign" />
        <NoWorkspace>
          Campaigns belong to a workspace (one per client or brand). Create a workspace first, or ask an admin to add you to one.
        </NoWorkspace>
      </div>
    );
  }
  return (
    <CampaignWizard
      campaign={null}
      initial={initialState(null, workspace.id)}
      step="name"
      data={{ ...data, workspaces, workspace }}
      onWorkspaceChange={(id) => navigate(`?${new URLSearchParams({ workspace: id })}`, { replace: true, preventScrollReset: true })}
    />
  );
}
