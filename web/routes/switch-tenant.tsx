import { redirect } from "react-router";
import { scopeContext } from "~/lib/context";
import { assertCsrf } from "~/lib/forms.server";
import { requireSession, sessionCookie } from "~/lib/session.server";
import { switchTenant } from "../../workers/auth/account.ts";
import type { Route } from "./+types/switch-tenant";

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  const { token } = await switchTenant(scope, String(form.get("tenantId") ?? ""));
  return redirect("/", { headers: { "set-cookie": sessionCookie(scope, token) } });
}

export function loader() {
  return redirect("/");
}
