import { data } from "react-router";
import { scopeContext } from "~/lib/context";
import { orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { exportLeadsCsv } from "../../../workers/leads/export.ts";
import { listFields } from "../../../workers/leads/lists.ts";
import { ListLeadsQuery } from "../../../workers/leads/schemas.ts";
import { listLeads } from "../../../workers/leads/service.ts";
import type { Route } from "./+types/export";

const ExportQuery = ListLeadsQuery.omit({ limit: true, cursor: true });

/** GET /leads/export?<the leads page's filters>: the matching leads as a streamed CSV download. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  if (!session.tenant) throw data("No active organization.", { status: 403 });
  const url = new URL(request.url);
  const raw = Object.fromEntries([...url.searchParams.entries()].filter(([k, v]) => k in ExportQuery.shape && v.trim() !== ""));
  const parsed = ExportQuery.safeParse(raw);
  if (!parsed.success) throw data("These filters are not valid. Go back to the leads page and check them.", { status: 400 });
  // Check access and filters before the download starts: an error mid-stream would only truncate the file.
  await orHttp(listLeads(scope, { ...parsed.data, limit: 1 }));
  const keys = (await orHttp(listFields(scope))).map((f) => f.key);
  // Nothing is read until the runtime streams the response, i.e. after the request's pool was
  // closed (workers/app.ts); the export then opens its own pool, closed here when it ends.
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= exportLeadsCsv(scope, parsed.data, keys).getReader();
        try {
          const { done, value } = await reader.read();
          if (value) controller.enqueue(value);
          if (done) {
            controller.close();
            await scope.dispose();
          }
        } catch (err) {
          scope.log.error("lead export failed mid-stream", { err: String(err) });
          controller.error(err);
          await scope.dispose();
        }
      },
      async cancel(reason) {
        await reader?.cancel(reason);
        await scope.dispose();
      },
    },
    { highWaterMark: 0 },
  );
  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="leads-${date}.csv"`,
      "cache-control": "no-store",
    },
  });
}
