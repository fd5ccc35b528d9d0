import { data, Form, useNavigation } from "react-router";
import { z } from "zod";
import { AuthShell } from "~/components/auth-shell";
import { TextLink } from "~/components/text-link";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { envContext, scopeContext } from "~/lib/context";
import { sameOrigin } from "../../workers/auth/csrf.ts";
import { limitByIp } from "../../workers/auth/ip-limit.ts";
import { forgotPassword } from "../../workers/auth/password-reset.ts";
import { Email } from "../../workers/auth/schemas.ts";
import { isAppError } from "../../workers/platform/errors.ts";
import type { Route } from "./+types/forgot-password";

export const meta: Route.MetaFunction = () => [{ title: "Reset your password · PenguinMails" }];

const ForgotInput = z.object({ email: Email });

/** The answer is the same whether or not the address has an account, so it reveals none. */
export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  if (!sameOrigin(request, scope.config.APP_URL)) {
    return data(
      { sent: false, email, formError: "This form was submitted from another site. Reload the page and try again.", fieldErrors: {} },
      { status: 403 },
    );
  }
  const parsed = ForgotInput.safeParse({ email });
  if (!parsed.success) {
    return data({ sent: false, email, formError: null, fieldErrors: z.flattenError(parsed.error).fieldErrors }, { status: 400 });
  }
  try {
    await limitByIp(context.get(envContext), scope.ip, "reset");
    await forgotPassword(scope, parsed.data.email);
  } catch (err) {
    if (isAppError(err) && err.status < 500)
      return data({ sent: false, email, formError: err.message, fieldErrors: {} }, { status: err.status });
    throw err;
  }
  return { sent: true, email: parsed.data.email, formError: null, fieldErrors: {} };
}

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const nav = useNavigation();
  const errors = actionData?.fieldErrors as Record<string, string[] | undefined> | undefined;
  if (actionData?.sent) {
    return (
      <AuthShell title="Check your inbox">
        <div className="flex flex-col gap-4">
          <Alert tone="success" title="Link sent">
            If an account exists for <strong>{actionData.email}</strong>, we sent a link to reset the password. It is valid for 1 hour.
          </Alert>
          <p className="text-sm text-slate-600">Nothing after a few minutes? Check your spam folder or try again.</p>
          <Form method="post" className="flex flex-col gap-3">
            <input type="hidden" name="email" value={actionData.email} />
            <Button type="submit" variant="secondary" busy={nav.state === "submitting"}>
              Send the link again
            </Button>
          </Form>
          <TextLink to="/sign-in" className="text-center text-sm">
            Back to sign in
          </TextLink>
        </div>
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Forgot your password?" subtitle="Enter your account's e-mail and we will send you a link to choose a new one.">
      <Form method="post" className="flex flex-col gap-4" noValidate>
        {actionData?.formError ? <Alert tone="error">{actionData.formError}</Alert> : null}
        <Field
          label="Work e-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          autoFocus
          defaultValue={actionData?.email ?? ""}
          error={errors?.email?.[0]}
        />
        <Button type="submit" size="lg" busy={nav.state === "submitting"}>
          Send reset link
        </Button>
        <p className="text-center text-sm text-slate-600">
          Remembered it? <TextLink to="/sign-in">Sign in</TextLink>
        </p>
      </Form>
    </AuthShell>
  );
}
