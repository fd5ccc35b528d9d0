import { Link } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Field, Input } from "~/components/ui/field";
import { PageHeader } from "~/components/ui/page-header";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { updateProfile } from "../../../workers/auth/account.ts";
import type { Route } from "./+types/profile";

export const meta: Route.MetaFunction = () => [{ title: "Profile · Settings · PenguinMails" }];

const ProfileInput = z.object({ name: z.string().trim().min(1, "Enter your name").max(100, "Use at most 100 characters") });

export async function loader({ request, context }: Route.LoaderArgs) {
  const session = await requireSession(request, context.get(scopeContext));
  return { name: session.actor.name, email: session.actor.email, emailVerified: session.actor.emailVerified ?? true };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  return handleForm(form, ProfileInput, (input) => updateProfile(scope, input));
}

export default function Profile({ loaderData }: Route.ComponentProps) {
  const { name, email, emailVerified } = loaderData;
  const f = useActionForm();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Profile" description="How you appear to your teammates in PenguinMails and in the audit log." />
      <Card>
        <CardHeader title="Your details" />
        <CardBody>
          <f.Form method="post" ref={f.formRef} className="flex max-w-md flex-col gap-4" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="profile" />
            {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
            {f.succeeded ? <Alert tone="success">Your name was saved.</Alert> : null}
            <Field
              label="Full name"
              name="name"
              autoComplete="name"
              required
              maxLength={100}
              defaultValue={name}
              error={f.fieldError("name")}
            />
            <div className="flex flex-col gap-1.5">
              <label htmlFor="profile-email" className="text-sm font-medium text-slate-800">
                E-mail address
              </label>
              <Input
                id="profile-email"
                type="email"
                value={email}
                readOnly
                aria-describedby="profile-email-hint"
                className="bg-slate-50 text-slate-600"
              />
              <p id="profile-email-hint" className="text-xs text-slate-500">
                {emailVerified ? "Verified. " : "Not verified yet. "}
                You sign in with this address. To change it, go to{" "}
                <Link to="/settings/security#email" className="font-medium text-brand-700 underline">
                  Security &amp; sessions
                </Link>
                .
              </p>
            </div>
            <div>
              <Button type="submit" busy={f.busy}>
                Save changes
              </Button>
            </div>
          </f.Form>
        </CardBody>
      </Card>
    </div>
  );
}
