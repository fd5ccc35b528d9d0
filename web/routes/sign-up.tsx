import { data, Form, redirect, useActionData, useNavigation, useSearchParams } from "react-router";
import { z } from "zod";
import { AuthShell } from "~/components/auth-shell";
import { TextLink } from "~/components/text-link";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Checkbox } from "~/components/ui/checkbox";
import { Field } from "~/components/ui/field";
import { envContext, scopeContext } from "~/lib/context";
import { formValues } from "~/lib/forms.server";
import { getSession, safeNext, sessionCookie } from "~/lib/session.server";
import { sameOrigin } from "../../workers/auth/csrf.ts";
import { SignUpInput, signIn, signUp } from "../../workers/auth/index.ts";
import { limitByIp } from "../../workers/auth/ip-limit.ts";
import { PASSWORD_MIN } from "../../workers/auth/password.ts";
import { isAppError } from "../../workers/platform/errors.ts";
import type { Route } from "./+types/sign-up";

export const meta: Route.MetaFunction = () => [{ title: "Create your account · PenguinMails" }];

const SignUpForm = SignUpInput.extend({
  terms: z.literal("on", { error: "Accept the terms to create an account" }),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const session = await getSession(request, context.get(scopeContext));
  if (session) throw redirect(safeNext(new URL(request.url).searchParams.get("next")));
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  const form = await request.formData();
  const values = formValues(form);
  if (!sameOrigin(request, scope.config.APP_URL)) {
    return data(
      { values, formError: "This form was submitted from another site. Reload the page and try again.", conflict: false, fieldErrors: {} },
      { status: 403 },
    );
  }
  const parsed = SignUpForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return data({ values, formError: null, conflict: false, fieldErrors: z.flattenError(parsed.error).fieldErrors }, { status: 400 });
  }
  const { terms: _accepted, ...input } = parsed.data;
  try {
    await limitByIp(context.get(envContext), scope.ip, "signup");
    await signUp(scope, input);
    const session = await signIn(scope, { email: input.email, password: input.password });
    return redirect(safeNext(values.next ?? "/"), { headers: { "set-cookie": sessionCookie(scope, session.token) } });
  } catch (err) {
    if (isAppError(err) && err.status < 500) {
      return data({ values, formError: err.message, conflict: err.code === "CONFLICT", fieldErrors: {} }, { status: err.status });
    }
    throw err;
  }
}

export default function SignUp() {
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const [params] = useSearchParams();
  const next = params.get("next");
  const errors = result?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const v: Record<string, string | undefined> = result?.values ?? {};
  const signInHref = next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in";
  return (
    <AuthShell title="Create your PenguinMails account" subtitle="Set up your organization and start warming up mailboxes.">
      <Form method="post" className="flex flex-col gap-4" noValidate>
        {result?.formError ? (
          <Alert tone="error">
            {result.formError}
            {result.conflict ? (
              <>
                {" "}
                <TextLink to={signInHref} className="text-red-800 underline">
                  Go to sign in
                </TextLink>
              </>
            ) : null}
          </Alert>
        ) : null}
        <input type="hidden" name="next" value={next ?? "/"} />
        <Field
          label="Your name"
          name="name"
          autoComplete="name"
          required
          maxLength={100}
          defaultValue={v.name ?? ""}
          error={errors?.name?.[0]}
        />
        <Field
          label="Work e-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={v.email ?? params.get("email") ?? ""}
          error={errors?.email?.[0]}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={`At least ${PASSWORD_MIN} characters.`}
          error={errors?.password?.[0]}
        />
        <Field
          label="Company"
          name="company"
          autoComplete="organization"
          required
          maxLength={100}
          defaultValue={v.company ?? ""}
          error={errors?.company?.[0]}
        />
        <div className="flex flex-col gap-1.5">
          <Checkbox
            id="terms"
            name="terms"
            required
            defaultChecked={v.terms === "on"}
            label="I accept the Terms of Service and the Acceptable Use Policy"
            description="I will only e-mail people I may lawfully contact."
            {...(errors?.terms ? { "aria-invalid": true, "aria-describedby": "terms-desc terms-error" } : {})}
          />
          {errors?.terms ? (
            <p id="terms-error" className="text-xs font-medium text-red-600">
              {errors.terms[0]}
            </p>
          ) : null}
        </div>
        <Button type="submit" size="lg" busy={nav.state === "submitting"}>
          Create account
        </Button>
        <p className="text-center text-sm text-slate-600">
          Already have an account? <TextLink to={signInHref}>Sign in</TextLink>
        </p>
      </Form>
    </AuthShell>
  );
}
