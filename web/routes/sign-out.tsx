import { redirect } from "react-router";
import { scopeContext } from "~/lib/context";
import { assertCsrf } from "~/lib/forms.server";
import { getSession, readCookie, sessionCookie } from "~/lib/session.server";
import { revokeSession, sessionCookieName } from "../../workers/auth/index.ts";
import type { Route } from "./+types/sign-out";

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await getSession(request, scope);
  await assertCsrf(request, scope, await request.formData());
  const token = readCookie(request, sessionCookieName(scope.config.APP_URL));
  if (token) await revokeSession(scope, token);
  return redirect("/sign-in", { headers: { "set-cookie": sessionCookie(scope, null) } });
}

export async function loader() {
  return redirect("/");
}
