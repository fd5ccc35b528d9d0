import { Link } from "react-router";
import { ActivityChart } from "~/components/campaigns/activity-chart";
import { EmptyState, NoOrganization } from "~/components/ui/alert";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { scopeContext } from "~/lib/context";
import { requireSession } from "~/lib/session.server";
import { dailyActivity } from "../../workers/campaigns/queries.ts";
import { getOnboarding } from "../../workers/tenants/onboarding.ts";
import { listWorkspaces } from "../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/home";

export const meta: Route.MetaFunction = () => [{ title: "Overview · PenguinMails" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const [workspaces, steps, activity] = session.tenant
    ? await Promise.all([listWorkspaces(scope), getOnboarding(scope), dailyActivity(scope, 14)])
    : [[], [], []];
  return { firstName: session.actor.name.split(" ")[0], tenant: session.tenant, workspaces, steps, activity };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { firstName, tenant, workspaces, steps, activity } = loaderData;
  const anyActivity = activity.some((d) => d.sent || d.opened || d.replied || d.bounced);
  const done = steps.filter((s) => s.done).length;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Welcome back, {firstName}</h1>
        <p className="text-sm text-slate-600">
          {tenant ? `You are working in ${tenant.name}.` : "You do not belong to an organization yet."}
        </p>
      </div>
      {steps.length > 0 && done < steps.length ? (
        <Card>
          <CardHeader title="Get started" description={`${done} of ${steps.length} done`} />
          <CardBody className="flex flex-col gap-4">
            <div
              className="h-2 w-full overflow-hidden rounded-full bg-slate-100"
              role="progressbar"
              aria-valuemin={0}
              aria-valuemax={steps.length}
              aria-valuenow={done}
              aria-label="Onboarding progress"
            >
              <div className="h-full rounded-full bg-brand-600 transition-all" style={{ width: `${(done / steps.length) * 100}%` }} />
            </div>
            <ol className="grid gap-3 sm:grid-cols-2">
              {steps.map((s) => (
                <li key={s.id} className="flex gap-3 rounded-lg border border-slate-200 p-3">
                  <span
                    aria-hidden="true"
                    className={`mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full text-xs font-bold ${s.done ? "bg-emerald-500 text-white" : "border border-slate-300 text-slate-400"}`}
                  >
                    {s.done ? "✓" : ""}
                  </span>
                  <div>
                    <p className="text-sm font-medium">
                      {s.done ? (
                        s.title
                      ) : (
                        <Link className="text-brand-700 hover:underline" to={s.href}>
                          {s.title}
                        </Link>
                      )}
                      <span className="sr-only">{s.done ? " (done)" : " (to do)"}</span>
                    </p>
                    <p className="text-xs text-slate-500">{s.description}</p>
                  </div>
                </li>
              ))}
            </ol>
          </CardBody>
        </Card>
      ) : null}
      {tenant ? (
        <Card>
          <CardHeader
            title="Last 14 days"
            description="Campaign e-mail across your organization, per day (UTC). Machine opens are not counted."
          />
          <CardBody>
            {anyActivity ? (
              <ActivityChart days={activity} caption="Sent, opened, replied and bounced per day, last 14 days" />
            ) : (
              <EmptyState
                title="Nothing sent in the last 14 days"
                action={
                  <Link className="text-sm font-medium text-brand-700 hover:underline" to="/campaigns">
                    Go to campaigns
                  </Link>
                }
              >
                Launch a campaign and its sends, opens and replies show up here day by day.
              </EmptyState>
            )}
          </CardBody>
        </Card>
      ) : (
        <NoOrganization />
      )}
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
