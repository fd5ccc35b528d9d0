import { data } from "react-router";
import { scopeContext } from "~/lib/context";
import { orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { importErrorReport } from "../../../workers/leads/imports/service.ts";
import type { Route } from "./+types/import-errors";

/** GET /leads/imports/:importId/errors: the rows that were skipped, suppressed or failed, as CSV. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  if (!session.tenant) throw data("No active organization.", { status: 403 });
  const csv = await orHttp(importErrorReport(scope, params.importId));
  const safeId = params.importId.replace(/[^A-Za-z0-9_-]/g, "");
  // A BOM so spreadsheet apps read non-ASCII addresses and reasons as UTF-8.
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="import-${safeId}-errors.csv"`,
      "cache-control": "no-store",
    },
  });
}
