import { requirePermission } from "../auth/permissions.ts";
import type { Ctx } from "../platform/context.ts";
import { createDb } from "../platform/db.ts";
import { csvLine } from "./csv/write.ts";
import type { ListLeadsQuery } from "./schemas.ts";
import { listLeads } from "./service.ts";

const COLUMNS = [
  "email",
  "firstName",
  "lastName",
  "company",
  "title",
  "phone",
  "website",
  "city",
  "country",
  "timezone",
  "status",
  "source",
  "consentBasis",
  "consentSource",
  "consentCollectedAt",
  "createdAt",
] as const;

/**
 * Filtered leads as CSV, streamed page by page (keyset pagination), so exporting 200k leads never
 * holds them all in memory. Cells are formula-neutralised (csvCell). Custom attributes follow as
 * `custom.<key>` columns.
 */
export function exportLeadsCsv(ctx: Ctx, q: Omit<ListLeadsQuery, "limit" | "cursor">, customKeys: string[]): ReadableStream<Uint8Array> {
  requirePermission(ctx, "leads:read");
  // The stream outlives the request's own pool (closed once the response starts), so it owns one.
  const handle = createDb(ctx.config, ctx.log);
  const sctx = Object.create(ctx) as Ctx;
  Object.defineProperty(sctx, "db", { value: handle.db });
  const enc = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    cancel: () => handle.close(),
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(enc.encode(`\uFEFF${csvLine([...COLUMNS, ...customKeys.map((k) => `custom.${k}`)])}`));
        return;
      }
      const page = await listLeads(sctx, { ...q, limit: 500, cursor });
      let out = "";
      for (const l of page.items) out += csvLine([...COLUMNS.map((c) => l[c]), ...customKeys.map((k) => l.attributes[k] ?? "")]);
      if (out) controller.enqueue(enc.encode(out));
      if (!page.nextCursor) {
        controller.close();
        await handle.close();
      }
      cursor = page.nextCursor ?? undefined;
    },
  });
}
