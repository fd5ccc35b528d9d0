import { data, Form, Link, redirect, useNavigation } from "react-router";
import { z } from "zod";
import { AuthShell } from "~/components/auth-shell";
import { TextLink } from "~/components/text-link";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { envContext, scopeContext } from "~/lib/context";
import { sessionCookie } from "~/lib/session.server";
import { sameOrigin } from "../../workers/auth/csrf.ts";
import { limitByIp } from "../../workers/auth/ip-limit.ts";
import { PASSWORD_MIN } from "../../workers/auth/password.ts";
import { resetPassword } from "../../workers/auth/password-reset.ts";
import { Password } from "../../workers/auth/schemas.ts";
import { isAppError } from "../../workers/platform/errors.ts";
import type { Route } from "./+types/reset-password";

export const meta: Route.MetaFunction = () => [{ title: "Choose a new password · PenguinMails" }];

const ResetForm = z.object({ token: z.string().min(1).max(128), password: Password, confirm: z.string() });

/** The token is only checked on submit (checking it is redeeming it). */
export function loader({ request }: Route.LoaderArgs) {
  return { token: new URL(request.url).searchParams.get("token") ?? "" };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  const form = await request.formData();
  if (!sameOrigin(request, scope.config.APP_URL)) {
    return data(
      { gone: false, formError: "This form was submitted from another site. Reload the page and try again.", fieldErrors: {} },
      { status: 403 },
    );
  }
  const parsed = ResetForm.safeParse({
    token: form.get("token") ?? "",
    password: form.get("password") ?? "",
    confirm: form.get("confirm") ?? "",
  });
  const fieldErrors: Record<string, string[] | undefined> = parsed.success ? {} : { ...z.flattenError(parsed.error).fieldErrors };
  if (fieldErrors.token)
    return data({ gone: true, formError: "This link is invalid or has expired. Ask for a new one.", fieldErrors: {} }, { status: 410 });
  if (form.get("password") !== form.get("confirm")) fieldErrors.confirm = ["The passwords do not match"];
  if (!parsed.success || fieldErrors.confirm) return data({ gone: false, formError: null, fieldErrors }, { status: 400 });
  try {
    await limitByIp(context.get(envContext), scope.ip, "reset");
    const { token } = await resetPassword(scope, parsed.data.token, parsed.data.password);
    return redirect("/", { headers: { "set-cookie": sessionCookie(scope, token) } });
  } catch (err) {
    if (isAppError(err) && err.status < 500) {
      return data({ gone: err.code === "GONE", formError: err.message, fieldErrors: {} }, { status: err.status });
    }
    throw err;
  }
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const nav = useNavigation();
  const errors = actionData?.fieldErrors as Record<string, string[] | undefined> | undefined;
  if (!loaderData.token) {
    return (
      <AuthShell title="Choose a new password">
        <div className="flex flex-col gap-4">
          <Alert tone="error" title="This link is incomplete">
            Open the link from your password-reset e-mail, or ask for a new one.
          </Alert>
          <Button asChild size="lg">
            <Link to="/forgot-password">Send me a new link</Link>
          </Button>
        </div>
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Choose a new password" subtitle="You will be signed in, and signed out everywhere else.">
      <Form method="post" className="flex flex-col gap-4" noValidate>
        {actionData?.formError ? (
          <Alert tone="error" title={actionData.gone ? "Invalid or expired link" : undefined}>
            {actionData.formError}
            {actionData.gone ? (
              <>
                {" "}
                <TextLink to="/forgot-password" className="text-red-800 underline">
                  Send me a new link
                </TextLink>
              </>
            ) : null}
          </Alert>
        ) : null}
        <input type="hidden" name="token" value={loaderData.token} />
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={`At least ${PASSWORD_MIN} characters.`}
          error={errors?.password?.[0]}
        />
        <Field
          label="Confirm new password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          error={errors?.confirm?.[0]}
        />
        <Button type="submit" size="lg" busy={nav.state === "submitting"}>
          Set new password
        </Button>
        <p className="text-center text-sm text-slate-600">
          <TextLink to="/sign-in">Back to sign in</TextLink>
        </p>
      </Form>
    </AuthShell>
  );
}
