import { EmptyState } from "~/components/ui/alert";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { scopeContext } from "~/lib/context";
import { requireSession } from "~/lib/session.server";
import { listWorkspaces } from "../../workers/tenants/index.ts";
import type { Route } from "./+types/home";

export const meta: Route.MetaFunction = () => [{ title: "Overview · PenguinMails" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const workspaces = session.tenant ? await listWorkspaces(scope) : [];
  return { firstName: session.actor.name.split(" ")[0], tenant: session.tenant, workspaces };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { firstName, tenant, workspaces } = loaderData;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Welcome back, {firstName}</h1>
        <p className="text-sm text-slate-600">
          {tenant ? `You are working in ${tenant.name}.` : "You do not belong to an organization yet."}
        </p>
      </div>
      <Card>
        <CardHeader
          title="Workspaces"
          description="One workspace per client or brand. Domains, mailboxes, leads and campaigns live inside a workspace."
        />
        <CardBody>
          {workspaces.length === 0 ? (
            <EmptyState title="No workspaces yet">Workspaces you create or are invited to appear here.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100">
              {workspaces.map((w) => (
                <li key={w.id} className="flex items-center justify-between py-3">
                  <div>
                    <p className="font-medium">{w.name}</p>
                    <p className="text-xs text-slate-500">/{w.slug}</p>
                  </div>
                  <p className="text-sm text-slate-600">
                    {w.members} {w.members === 1 ? "member" : "members"}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </CardBody>
      </Card>
    </div>
  );
}
