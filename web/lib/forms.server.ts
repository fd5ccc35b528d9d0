import { data } from "react-router";
import { z } from "zod";
import { sameOrigin, verifyCsrfToken } from "../../workers/auth/csrf.ts";
import type { RequestScope } from "../../workers/platform/context.ts";
import { isAppError } from "../../workers/platform/errors.ts";

/**
 * Dashboard form plumbing. Every signed-in form post carries the session's CSRF token (hidden
 * `csrf` field, see <CsrfInput/>) and must come from our own origin; public forms (sign-in,
 * sign-up, reset) check the origin only.
 */
export async function assertCsrf(request: Request, scope: RequestScope, form: FormData) {
  if (!sameOrigin(request, scope.config.APP_URL)) throw data("This form was submitted from another site.", { status: 403 });
  const actor = scope.actor;
  if (actor?.kind === "user" && !(await verifyCsrfToken(scope.config.AUTH_SECRET, actor.sessionId, form.get("csrf")?.toString()))) {
    throw data("Your session changed since this page loaded. Reload the page and try again.", { status: 403 });
  }
}

/** For loaders: a verb's 4xx AppError becomes an HTTP error response (404 page, 403 page), not a 500. */
export async function orHttp<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (isAppError(err) && err.status < 500) throw data(err.message, { status: err.status });
    throw err;
  }
}

export type FormResult = {
  ok: boolean;
  intent?: string;
  message?: string | null;
  formError?: string | null;
  fieldErrors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
};

/** The submitted text fields (never passwords), echoed back so a failed form keeps its input. */
export function formValues(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && !/password|csrf|token/i.test(k)) out[k] = v;
  return out;
}

/**
 * Parses with a zod schema and runs the verb; AppErrors and validation failures come back as
 * form state (status 4xx) instead of error pages. Anything else is a real 500.
 */
export async function handleForm<S extends z.ZodType, R>(
  form: FormData,
  schema: S,
  run: (input: z.infer<S>) => Promise<R>,
): Promise<ReturnType<typeof data<FormResult & { result?: R }>>> {
  const intent = form.get("intent")?.toString();
  const values = formValues(form);
  const parsed = schema.safeParse(Object.fromEntries([...form.entries()].filter(([k]) => k !== "csrf" && k !== "intent")));
  if (!parsed.success) {
    return data(
      { ok: false, intent, formError: null, fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>, values },
      { status: 400 },
    );
  }
  try {
    const result = await run(parsed.data);
    return data({ ok: true, intent, result, values: {} });
  } catch (err) {
    // UNAVAILABLE carries a deliberate message too ("The mail node refused: …", "Provisioning is not
    // configured"): the person can retry or fix it, so it stays in the form rather than a 500 page.
    if (isAppError(err) && (err.status < 500 || err.code === "UNAVAILABLE")) {
      // A verb's issues (e.g. `email`, `attributes.industry`) become field errors next to their inputs.
      const fieldErrors: Record<string, string[]> = {};
      for (const i of err.details?.issues ?? []) fieldErrors[i.path] = [...(fieldErrors[i.path] ?? []), i.message];
      return data({ ok: false, intent, formError: err.message, fieldErrors, values }, { status: err.status });
    }
    throw err;
  }
}
