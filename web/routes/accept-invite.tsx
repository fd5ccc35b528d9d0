import { data, Form, Link, redirect, useNavigation } from "react-router";
import { AuthShell } from "~/components/auth-shell";
import { TextLink } from "~/components/text-link";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { scopeContext } from "~/lib/context";
import { assertCsrf } from "~/lib/forms.server";
import { getSession, requireSession, sessionCookie } from "~/lib/session.server";
import { switchTenant } from "../../workers/auth/account.ts";
import { csrfToken } from "../../workers/auth/csrf.ts";
import { isAppError } from "../../workers/platform/errors.ts";
import { acceptInvitation, peekInvitation } from "../../workers/tenants/invitations.ts";
import type { Route } from "./+types/accept-invite";

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData?.invitation ? `Join ${loaderData.invitation.tenantName} · PenguinMails` : "Accept invitation · PenguinMails" },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const [inv, session] = await Promise.all([peekInvitation(scope, token), getSession(request, scope)]);
  const viewer = session ? { email: session.actor.email, csrf: await csrfToken(scope.config.AUTH_SECRET, session.actor.sessionId) } : null;
  if (!inv) return { token, status: "invalid" as const, invitation: null, viewer };
  return {
    token,
    status: inv.status,
    invitation: { tenantName: inv.tenantName, role: inv.role, email: inv.email, expiresAt: inv.expiresAt },
    viewer,
  };
}

/** Joins the organization, then makes it the session's active one (which rotates the session token). */
export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  try {
    const { tenantId } = await acceptInvitation(scope, String(form.get("token") ?? ""));
    const { token } = await switchTenant(scope, tenantId);
    return redirect("/", { headers: { "set-cookie": sessionCookie(scope, token) } });
  } catch (err) {
    if (isAppError(err) && err.status < 500) return data({ formError: err.message, code: err.code }, { status: err.status });
    throw err;
  }
}

const article = (role: string) => (/^[aeiou]/i.test(role) ? "an" : "a");

const DEAD: Record<string, { title: string; body: string }> = {
  invalid: {
    title: "Invitation not found",
    body: "This invitation link is invalid. Check that you opened the whole link from the e-mail.",
  },
  expired: { title: "Invitation expired", body: "Invitations are valid for 7 days. Ask the person who invited you to send a new one." },
  revoked: {
    title: "Invitation withdrawn",
    body: "This invitation was cancelled or replaced by a newer one. Ask your team for a new invitation.",
  },
  accepted: { title: "Invitation already used", body: "This invitation has already been accepted. Sign in to reach the organization." },
};

export default function AcceptInvite({ loaderData, actionData }: Route.ComponentProps) {
  const { token, status, invitation, viewer } = loaderData;
  const nav = useNavigation();

  if (status !== "pending" || !invitation) {
    const dead = DEAD[status] ?? DEAD.invalid!;
    return (
      <AuthShell title={dead.title}>
        <div className="flex flex-col gap-4">
          <Alert tone="error">{dead.body}</Alert>
          <Button asChild size="lg">
            <Link to={viewer ? "/" : "/sign-in"}>{viewer ? "Go to the dashboard" : "Sign in"}</Link>
          </Button>
        </div>
      </AuthShell>
    );
  }

  const here = `/accept-invite?token=${encodeURIComponent(token)}`;
  const next = encodeURIComponent(here);
  const wrongAddress = viewer !== null && viewer.email.toLowerCase() !== invitation.email.toLowerCase();
  return (
    <AuthShell title={`Join ${invitation.tenantName}`}>
      <div className="flex flex-col gap-5">
        <div className="flex flex-col gap-1 text-center">
          <p className="text-slate-800">
            <strong>{invitation.tenantName}</strong> invited you as {article(invitation.role)} <strong>{invitation.role}</strong>.
          </p>
          <p className="text-sm text-slate-500">
            Sent to <span className="font-medium text-slate-700">{invitation.email}</span> · valid until{" "}
            <time dateTime={invitation.expiresAt}>{formatDate(invitation.expiresAt)}</time>
          </p>
        </div>
        {actionData?.formError ? <Alert tone="error">{actionData.formError}</Alert> : null}
        {viewer ? (
          <>
            {wrongAddress && !actionData ? (
              <Alert tone="warning">
                You are signed in as <strong>{viewer.email}</strong>. Only {invitation.email} can accept this invitation.
              </Alert>
            ) : null}
            <Form method="post" className="flex flex-col gap-3">
              <input type="hidden" name="csrf" value={viewer.csrf} />
              <input type="hidden" name="token" value={token} />
              <Button type="submit" size="lg" busy={nav.state === "submitting"}>
                Accept and join {invitation.tenantName}
              </Button>
            </Form>
            <div className="flex flex-col items-center gap-2 text-sm text-slate-600">
              {wrongAddress ? (
                <Form method="post" action="/sign-out">
                  <input type="hidden" name="csrf" value={viewer.csrf} />
                  <button type="submit" className="font-medium text-brand-600 underline-offset-2 hover:text-brand-700 hover:underline">
                    Sign out, then open the link again
                  </button>
                </Form>
              ) : (
                <>
                  <p>
                    Signed in as <span className="font-medium text-slate-800">{viewer.email}</span>.
                  </p>
                  <TextLink to="/">Not now</TextLink>
                </>
              )}
            </div>
          </>
        ) : (
          <div className="flex flex-col gap-3">
            <p className="text-center text-sm text-slate-600">Sign in or create an account with {invitation.email} to accept.</p>
            <Button asChild size="lg">
              <Link to={`/sign-in?next=${next}`}>Sign in to accept</Link>
            </Button>
            <Button asChild size="lg" variant="secondary">
              <Link to={`/sign-up?next=${next}&email=${encodeURIComponent(invitation.email)}`}>Create an account</Link>
            </Button>
          </div>
        )}
      </div>
    </AuthShell>
  );
}

/** Same output on the server and in the browser (no locale or time-zone drift during hydration). */
function formatDate(iso: string) {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(iso));
}
