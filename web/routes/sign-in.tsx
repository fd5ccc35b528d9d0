import { data, Form, Link, redirect, useActionData, useNavigation, useSearchParams } from "react-router";
import { z } from "zod";
import { AuthShell } from "~/components/auth-shell";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { envContext, scopeContext } from "~/lib/context";
import { getSession, safeNext, sessionCookie } from "~/lib/session.server";
import { SignInInput, signIn } from "../../workers/auth/index.ts";
import { limitByIp } from "../../workers/auth/ip-limit.ts";
import { isAppError } from "../../workers/platform/errors.ts";
import type { Route } from "./+types/sign-in";

export const meta: Route.MetaFunction = () => [{ title: "Sign in · PenguinMails" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const session = await getSession(request, context.get(scopeContext));
  if (session) throw redirect(safeNext(new URL(request.url).searchParams.get("next")));
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  const parsed = SignInInput.safeParse({ email, password: form.get("password") ?? "" });
  if (!parsed.success) {
    return data({ email, formError: null, fieldErrors: z.flattenError(parsed.error).fieldErrors }, { status: 400 });
  }
  try {
    await limitByIp(context.get(envContext), scope.ip, "signin");
    const result = await signIn(scope, parsed.data);
    return redirect(safeNext(String(form.get("next") ?? "/")), {
      headers: { "set-cookie": sessionCookie(scope, result.token) },
    });
  } catch (err) {
    if (isAppError(err) && (err.code === "UNAUTHENTICATED" || err.code === "RATE_LIMITED")) {
      return data({ email, formError: err.message, fieldErrors: {} }, { status: err.status });
    }
    throw err;
  }
}

export default function SignIn() {
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const [params] = useSearchParams();
  const errors = result?.fieldErrors as Record<string, string[] | undefined> | undefined;
  return (
    <AuthShell title="Sign in to PenguinMails" subtitle="Cold-email infrastructure and outreach, in one place.">
      <Form method="post" className="flex flex-col gap-4" noValidate>
        {result?.formError ? <Alert tone="error">{result.formError}</Alert> : null}
        <input type="hidden" name="next" value={params.get("next") ?? "/"} />
        <Field
          label="Work e-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={result?.email ?? ""}
          error={errors?.email?.[0]}
        />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required error={errors?.password?.[0]} />
        <Button type="submit" size="lg" busy={nav.state === "submitting"}>
          Sign in
        </Button>
        <div className="flex items-center justify-between text-sm">
          <Link className="text-brand-700 hover:underline" to="/forgot-password">
            Forgot your password?
          </Link>
          <Link
            className="text-brand-700 hover:underline"
            to={params.get("next") ? `/sign-up?next=${encodeURIComponent(params.get("next")!)}` : "/sign-up"}
          >
            Create an account
          </Link>
        </div>
      </Form>
    </AuthShell>
  );
}
