import { Link } from "react-router";
import { AuthShell } from "~/components/auth-shell";
import { TextLink } from "~/components/text-link";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { scopeContext } from "~/lib/context";
import { getSession } from "~/lib/session.server";
import { confirmEmailChange } from "../../workers/auth/account.ts";
import { isAppError } from "../../workers/platform/errors.ts";
import type { Route } from "./+types/confirm-email";

export const meta: Route.MetaFunction = () => [{ title: "Confirm your new e-mail · PenguinMails" }];

/** GET ?token= from the "confirm your new e-mail" message switches the account's sign-in address. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const token = new URL(request.url).searchParams.get("token");
  const signedIn = async () => (await getSession(request, scope)) !== null;
  if (!token) {
    return {
      state: "failed" as const,
      email: null,
      title: "This link is incomplete",
      message: "Open the link from the e-mail we sent to your new address.",
      signedIn: await signedIn(),
    };
  }
  try {
    const { email } = await confirmEmailChange(scope, token);
    return { state: "changed" as const, email, title: null, message: null, signedIn: await signedIn() };
  } catch (err) {
    if (isAppError(err) && err.status < 500) {
      const title =
        err.code === "GONE" ? "Invalid or expired link" : err.code === "CONFLICT" ? "That address is taken" : "That did not work";
      return { state: "failed" as const, email: null, title, message: err.message, signedIn: await signedIn() };
    }
    throw err;
  }
}

export default function ConfirmEmail({ loaderData }: Route.ComponentProps) {
  const { state, email, title, message, signedIn } = loaderData;
  if (state === "changed") {
    return (
      <AuthShell title="New e-mail confirmed">
        <div className="flex flex-col gap-4">
          <Alert tone="success">
            From now on, sign in with <strong>{email}</strong>. Account mail goes to this address too.
          </Alert>
          <Button asChild size="lg">
            <Link to={signedIn ? "/settings" : "/sign-in"}>{signedIn ? "Back to your profile" : "Sign in"}</Link>
          </Button>
        </div>
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Could not change your e-mail">
      <div className="flex flex-col gap-4">
        <Alert tone="error" title={title ?? undefined}>
          {message}
        </Alert>
        <p className="text-sm text-slate-600">
          Your sign-in address has not changed. You can ask for the change again from your profile settings; the link works once, for 24
          hours.
        </p>
        <Button asChild size="lg">
          <Link to={signedIn ? "/settings" : "/sign-in?next=%2Fsettings"}>{signedIn ? "Go to profile settings" : "Sign in"}</Link>
        </Button>
        {signedIn ? (
          <TextLink to="/" className="text-center text-sm">
            Back to the dashboard
          </TextLink>
        ) : null}
      </div>
    </AuthShell>
  );
}
