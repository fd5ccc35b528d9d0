import { InboxLayout } from "~/components/inbox/inbox-layout";
import { RouteError } from "~/components/leads/not-found";
import { NoOrganization } from "~/components/ui/alert";
import { PageHeader } from "~/components/ui/page-header";
import { scopeContext } from "~/lib/context";
import { requireSession } from "~/lib/session.server";
import type { Route } from "./+types/index";
import { loadInboxList } from "./inbox.server";

export const meta: Route.MetaFunction = () => [{ title: "Inbox · PenguinMails" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  if (!session.tenant) return { list: null };
  return { list: await loadInboxList(scope, new URL(request.url)) };
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} title="Inbox" back={{ to: "/inbox", label: "Back to the inbox" }} />;
}

export default function Inbox({ loaderData }: Route.ComponentProps) {
  if (!loaderData.list) {
    return (
      <div className="mx-auto flex max-w-7xl flex-col gap-6">
        <PageHeader title="Inbox" description="Every reply to your campaigns, in one place." />
        <NoOrganization />
      </div>
    );
  }
  return (
    <InboxLayout list={loaderData.list} selectedId={null}>
      <div className="flex min-h-64 flex-col items-center justify-center gap-2 rounded-lg border border-dashed border-slate-300 px-6 py-16 text-center">
        <svg aria-hidden="true" viewBox="0 0 24 24" className="size-8 text-slate-400" fill="none" stroke="currentColor" strokeWidth="1.5">
          <path d="M3 7.5 12 13l9-5.5M4.5 5h15A1.5 1.5 0 0 1 21 6.5v11a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5v-11A1.5 1.5 0 0 1 4.5 5Z" />
        </svg>
        <p className="font-medium text-slate-800">Pick a conversation</p>
        <p className="max-w-sm text-sm text-slate-500">
          Choose one on the left to read the whole exchange, categorise it, assign it or reply.
        </p>
      </div>
    </InboxLayout>
  );
}
