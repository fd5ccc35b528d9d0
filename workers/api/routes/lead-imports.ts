import { createRoute, z } from "@hono/zod-openapi";
import { exportLeadsCsv } from "../../leads/export.ts";
import { cancelImport, createImport, getImport, importErrorReport, listImports, startImport } from "../../leads/imports/service.ts";
import { listFields } from "../../leads/lists.ts";
import { ListLeadsQuery } from "../../leads/schemas.ts";
import { AppError } from "../../platform/errors.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

const importParam = IdParam("importId", "imp_01JD…");
const ImportDto = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    filename: z.string(),
    sizeBytes: z.number(),
    status: z.enum(["uploaded", "validating", "importing", "completed", "failed", "cancelled"]),
    phase: z.string().nullable(),
    headers: z.array(z.string()),
    totalRows: z.number().nullable(),
    rowsRead: z.number(),
    rowsImported: z.number(),
    rowsUpdated: z.number(),
    rowsSkipped: z.number(),
    rowsFailed: z.number(),
    rowsSuppressed: z.number(),
    percent: z.number(),
    rowsPerSecond: z.number(),
    etaSeconds: z.number().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .passthrough()
  .openapi("LeadImport");

export const leadImportRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/lead-imports",
      tags: ["Imports"],
      summary: "Upload a CSV (raw body, up to 200 MB); answers with a preview and a suggested mapping",
      ...guard("leads:write"),
      request: {
        query: z.object({ workspaceId: z.string().min(1).max(64), filename: z.string().min(1).max(255).default("leads.csv") }),
        body: { required: true, content: { "text/csv": { schema: z.string().openapi({ format: "binary" }) } } },
      },
      responses: {
        201: json(
          ImportDto.extend({ preview: z.array(z.array(z.string())), suggestedMapping: z.record(z.string(), z.string()) }),
          "Uploaded",
        ),
        ...ERRORS,
      },
    }),
    async (c) => {
      const size = Number(c.req.header("content-length"));
      if (!Number.isFinite(size) || size <= 0)
        throw new AppError("BAD_REQUEST", "Send the file as the request body with a Content-Length.");
      if (!c.req.raw.body) throw new AppError("BAD_REQUEST", "The file is empty.");
      const q = c.req.valid("query");
      const r = await createImport(
        c.var.ctx,
        { bucket: c.env.LEAD_IMPORTS, queue: c.env.IMPORT_QUEUE },
        { workspaceId: q.workspaceId, filename: q.filename, body: c.req.raw.body, sizeBytes: size },
      );
      return c.json(r, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/lead-imports",
      tags: ["Imports"],
      summary: "Recent imports with progress",
      ...guard("leads:read"),
      request: { query: z.object({ workspaceId: z.string().max(64).optional() }) },
      responses: { 200: json(z.object({ items: z.array(ImportDto) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listImports(c.var.ctx, c.req.valid("query").workspaceId) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/lead-imports/{importId}",
      tags: ["Imports"],
      summary: "An import's progress",
      ...guard("leads:read"),
      request: { params: importParam },
      responses: { 200: json(ImportDto), ...ERRORS },
    }),
    async (c) => c.json(await getImport(c.var.ctx, c.req.param("importId")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/lead-imports/{importId}/start",
      tags: ["Imports"],
      summary: "Confirm the column mapping and options; processing continues in the background",
      ...guard("leads:write"),
      request: {
        params: importParam,
        body: body(
          z.object({
            mapping: z.record(z.string().max(200), z.string().max(60)),
            duplicates: z.enum(["skip", "update"]).default("skip"),
            listId: z.string().max(64).nullable().optional(),
            importValidRows: z.boolean().default(false),
          }),
        ),
      },
      responses: { 202: json(ImportDto, "Started"), ...ERRORS },
    }),
    async (c) =>
      c.json(
        await startImport(
          c.var.ctx,
          { bucket: c.env.LEAD_IMPORTS, queue: c.env.IMPORT_QUEUE },
          c.req.param("importId"),
          c.req.valid("json"),
        ),
        202,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/lead-imports/{importId}/cancel",
      tags: ["Imports"],
      summary: "Cancel an import that has not finished",
      ...guard("leads:write"),
      request: { params: importParam },
      responses: { 200: json(ImportDto), ...ERRORS },
    }),
    async (c) => c.json(await cancelImport(c.var.ctx, c.req.param("importId")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/lead-imports/{importId}/errors.csv",
      tags: ["Imports"],
      summary: "Per-row error report (row, e-mail, problem, reason)",
      ...guard("leads:read"),
      request: { params: importParam },
      responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, ...ERRORS },
    }),
    async (c) => {
      const csv = await importErrorReport(c.var.ctx, c.req.param("importId"));
      return c.body(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="import-${c.req.param("importId")}-errors.csv"`,
      });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/leads/export.csv",
      tags: ["Leads"],
      summary: "Export the filtered leads as CSV (streamed)",
      ...guard("leads:read"),
      request: { query: ListLeadsQuery.omit({ limit: true, cursor: true }) },
      responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, ...ERRORS },
    }),
    async (c) => {
      const keys = (await listFields(c.var.ctx)).map((f) => f.key);
      const stream = exportLeadsCsv(c.var.ctx, c.req.valid("query"), keys);
      return c.body(stream, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="leads.csv"' });
    },
  );
