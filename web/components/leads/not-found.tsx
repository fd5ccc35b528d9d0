import { isRouteErrorResponse, Link } from "react-router";
import { EmptyState } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/page-header";

/**
 * A route-level error boundary body: keeps the app layout (navigation) around a 404/403 instead of
 * the full-page root error, with a way back. Unexpected errors get a generic message.
 */
export function RouteError({ error, title, back }: { error: unknown; title: string; back: { to: string; label: string } }) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message =
    isRouteErrorResponse(error) && typeof error.data === "string" && status < 500
      ? error.data
      : "We could not load this page. Try again in a moment; if it keeps happening, contact support.";
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6">
      <PageHeader title={status === 404 ? `${title} not found` : status === 403 ? "Not allowed" : "Something went wrong"} />
      <EmptyState
        title={message}
        action={
          <Button asChild variant="secondary" className="mt-2">
            <Link to={back.to}>{back.label}</Link>
          </Button>
        }
      >
        {status === 404 ? "It may have been deleted, or it belongs to a workspace you do not have access to." : undefined}
      </EmptyState>
    </div>
  );
}
