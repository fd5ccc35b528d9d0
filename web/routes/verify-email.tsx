import { data, Form, Link, useNavigation } from "react-router";
import { AuthShell } from "~/components/auth-shell";
import { TextLink } from "~/components/text-link";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { scopeContext } from "~/lib/context";
import { assertCsrf } from "~/lib/forms.server";
import { getSession, requireSession } from "~/lib/session.server";
import { csrfToken } from "../../workers/auth/csrf.ts";
import { resendVerification, verifyEmail } from "../../workers/auth/verify-email.ts";
import { isAppError } from "../../workers/platform/errors.ts";
import type { Route } from "./+types/verify-email";

export const meta: Route.MetaFunction = () => [{ title: "Confirm your e-mail · PenguinMails" }];

type Viewer = { email: string; verified: boolean; csrf: string } | null;

/**
 * GET ?token= redeems the link from the verification mail. Without a token (or with a dead one)
 * the page offers a new link to a signed-in user, or asks them to sign in first.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const token = new URL(request.url).searchParams.get("token");
  let state: "verified" | "invalid" | "missing" = "missing";
  let message: string | null = null;
  if (token) {
    try {
      await verifyEmail(scope, token);
      state = "verified";
    } catch (err) {
      if (!isAppError(err) || err.code !== "GONE") throw err;
      state = "invalid";
      message = err.message;
    }
  }
  // Read the session after redeeming, so a just-verified address shows as verified.
  const session = await getSession(request, scope);
  const viewer: Viewer = session
    ? {
        email: session.actor.email,
        verified: state === "verified" || (session.actor.emailVerified ?? true),
        csrf: await csrfToken(scope.config.AUTH_SECRET, session.actor.sessionId),
      }
    : null;
  return { state, message, viewer };
}

/** `intent=resend` from the app banner or this page: a fresh link for the signed-in user. */
export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  if (form.get("intent") !== "resend") throw data("Unknown action.", { status: 400 });
  try {
    await resendVerification(scope);
    return { outcome: "sent" as const, email: session.actor.email, message: null };
  } catch (err) {
    if (isAppError(err) && err.code === "CONFLICT")
      return data({ outcome: "already" as const, email: session.actor.email, message: err.message });
    if (isAppError(err) && err.status < 500) {
      return data({ outcome: "failed" as const, email: session.actor.email, message: err.message }, { status: err.status });
    }
    throw err;
  }
}

export default function VerifyEmail({ loaderData, actionData }: Route.ComponentProps) {
  const { state, message, viewer } = loaderData;
  const nav = useNavigation();
  const busy = nav.state === "submitting";

  if (actionData) {
    const { outcome, email } = actionData;
    return (
      <AuthShell title={outcome === "sent" ? "Check your inbox" : outcome === "already" ? "You are all set" : "Could not send a new link"}>
        <div className="flex flex-col gap-4">
          {outcome === "sent" ? (
            <Alert tone="success" title="A new link is on its way">
              We sent a fresh confirmation link to <strong>{email}</strong>. It works for 24 hours; earlier links no longer work.
            </Alert>
          ) : outcome === "already" ? (
            <Alert tone="success">{actionData.message}</Alert>
          ) : (
            <Alert tone="error">{actionData.message}</Alert>
          )}
          <Button asChild size="lg">
            <Link to="/">Go to the dashboard</Link>
          </Button>
        </div>
      </AuthShell>
    );
  }

  if (state === "verified") {
    return (
      <AuthShell title="E-mail confirmed">
        <div className="flex flex-col gap-4">
          <Alert tone="success">Thanks! Your e-mail address is confirmed.</Alert>
          <Button asChild size="lg">
            <Link to="/">{viewer ? "Continue to the dashboard" : "Sign in to continue"}</Link>
          </Button>
        </div>
      </AuthShell>
    );
  }

  if (viewer?.verified) {
    return (
      <AuthShell title="E-mail confirmed">
        <div className="flex flex-col gap-4">
          <Alert tone="success">
            Your address <strong>{viewer.email}</strong> is already confirmed.
          </Alert>
          <Button asChild size="lg">
            <Link to="/">Continue to the dashboard</Link>
          </Button>
        </div>
      </AuthShell>
    );
  }

  return (
    <AuthShell title={state === "invalid" ? "This link no longer works" : "Confirm your e-mail"}>
      <div className="flex flex-col gap-4">
        {state === "invalid" ? (
          <Alert tone="error" title="Invalid or expired link">
            {message} Confirmation links work once, for 24 hours, and only the newest one counts.
          </Alert>
        ) : (
          <p className="text-sm text-slate-600">Open the link in the confirmation e-mail we sent you to confirm your address.</p>
        )}
        {viewer ? (
          <Form method="post" className="flex flex-col gap-3">
            <input type="hidden" name="csrf" value={viewer.csrf} />
            <input type="hidden" name="intent" value="resend" />
            <p className="text-sm text-slate-600">
              We will send a new link to <strong className="text-slate-900">{viewer.email}</strong>.
            </p>
            <Button type="submit" size="lg" busy={busy}>
              Send a new link
            </Button>
            <TextLink to="/" className="text-center text-sm">
              Back to the dashboard
            </TextLink>
          </Form>
        ) : (
          <>
            <p className="text-sm text-slate-600">Sign in to request a new confirmation link.</p>
            <Button asChild size="lg">
              <Link to="/sign-in?next=%2Fverify-email">Sign in</Link>
            </Button>
          </>
        )}
      </div>
    </AuthShell>
  );
}
