import { data } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { Alert, NoOrganization } from "~/components/ui/alert";
import { Badge, RoleBadge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Field } from "~/components/ui/field";
import { PageHeader } from "~/components/ui/page-header";
import { DateTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { UpdateTenantInput } from "../../../workers/tenants/schemas.ts";
import { getCurrentTenant, updateTenant } from "../../../workers/tenants/tenant.ts";
import type { Route } from "./+types/organization";

export const meta: Route.MetaFunction = () => [{ title: "Organization · Settings · PenguinMails" }];

// The API's schema, with messages written for people rather than clients.
const RenameForm = UpdateTenantInput.safeExtend({
  name: z.string().trim().min(1, "Enter a name").max(100, "Use at most 100 characters"),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  if (!session.tenant) return { tenant: null, canEdit: false };
  return { tenant: await orHttp(getCurrentTenant(scope)), canEdit: can(scope, "tenant:write") };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  if (form.get("intent") !== "rename") throw data("Unknown action.", { status: 400 });
  return handleForm(form, RenameForm, (input) => updateTenant(scope, input));
}

const PLAN_NAMES: Record<string, string> = {
  trial: "Trial",
  starter: "Starter",
  professional: "Professional",
  business: "Business",
  enterprise: "Enterprise",
};

export default function Organization({ loaderData }: Route.ComponentProps) {
  const { tenant, canEdit } = loaderData;
  const f = useActionForm();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Organization" description="The company or agency account your team, workspaces and billing belong to." />
      {!tenant ? (
        <NoOrganization />
      ) : (
        <>
          <Card>
            <CardHeader title="Overview" />
            <CardBody>
              <dl className="grid grid-cols-1 gap-x-6 gap-y-4 text-sm sm:grid-cols-2 lg:grid-cols-4">
                <div>
                  <dt className="text-slate-500">Plan</dt>
                  <dd className="mt-1 font-medium">{PLAN_NAMES[tenant.plan] ?? tenant.plan}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">Status</dt>
                  <dd className="mt-1">
                    <Badge tone={tenant.status === "active" ? "success" : "danger"}>
                      {tenant.status === "active" ? "Active" : "Suspended"}
                    </Badge>
                  </dd>
                </div>
                <div>
                  <dt className="text-slate-500">Created</dt>
                  <dd className="mt-1 font-medium">
                    <DateTime value={tenant.createdAt} withTime={false} />
                  </dd>
                </div>
                <div>
                  <dt className="text-slate-500">Your role</dt>
                  <dd className="mt-1">{tenant.role ? <RoleBadge role={tenant.role} /> : "—"}</dd>
                </div>
              </dl>
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Organization name" description="Shown to your team, in invitations and on invoices." />
            <CardBody>
              {canEdit ? (
                <f.Form method="post" ref={f.formRef} className="flex max-w-md flex-col gap-4" noValidate>
                  <CsrfInput />
                  <input type="hidden" name="intent" value="rename" />
                  {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
                  {f.succeeded ? <Alert tone="success">The organization is now called {tenant.name}.</Alert> : null}
                  <Field label="Name" name="name" required maxLength={100} defaultValue={tenant.name} error={f.fieldError("name")} />
                  <div>
                    <Button type="submit" busy={f.busy}>
                      Save name
                    </Button>
                  </div>
                </f.Form>
              ) : (
                <div className="flex flex-col gap-2 text-sm">
                  <p className="font-medium">{tenant.name}</p>
                  <p className="text-slate-500">Only owners and admins can rename the organization.</p>
                </div>
              )}
            </CardBody>
          </Card>
        </>
      )}
    </div>
  );
}
