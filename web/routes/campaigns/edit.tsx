import { useSearchParams } from "react-router";
import { initialState, isStepKey } from "~/components/campaigns/wizard/model";
import { CampaignWizard } from "~/components/campaigns/wizard/wizard";
import { RouteError } from "~/components/leads/not-found";
import { envContext, scopeContext } from "~/lib/context";
import { assertCsrf, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { getCampaign } from "../../../workers/campaigns/service.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/edit";
import { wizardAction, wizardData } from "./wizard.server";

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `Edit ${loaderData.campaign.name} · Campaigns · PenguinMails` : "Campaign · PenguinMails" },
];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const campaign = await orHttp(getCampaign(scope, params.campaignId));
  const [workspaces, data] = await Promise.all([
    orHttp(listWorkspaces(scope)),
    orHttp(wizardData(scope, context.get(envContext), campaign.workspaceId, campaign.id, campaign.status === "draft")),
  ]);
  const ws = workspaces.find((w) => w.id === campaign.workspaceId);
  return { campaign, workspace: { id: campaign.workspaceId, name: ws?.name ?? "this workspace" }, data };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  return wizardAction(scope, context.get(envContext), form, params.campaignId);
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} title="Campaign" back={{ to: "/campaigns", label: "Back to campaigns" }} />;
}

export default function EditCampaign({ loaderData }: Route.ComponentProps) {
  const { campaign: c, workspace, data } = loaderData;
  const [sp] = useSearchParams();
  const requested = sp.get("step");
  // A draft opens where setup usually continues; a running campaign on its sequence.
  const step = isStepKey(requested) ? requested : c.status === "draft" ? "name" : "sequence";
  return (
    <CampaignWizard
      // Another campaign (not a revalidation of this one) starts a fresh wizard.
      key={c.id}
      campaign={{ id: c.id, status: c.status, stopped: !!c.stoppedAt }}
      initial={initialState(c, c.workspaceId)}
      step={step}
      data={{ ...data, workspaces: [workspace], workspace }}
    />
  );
}
