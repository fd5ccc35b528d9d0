import { createRoute, z } from "@hono/zod-openapi";
import { AddSuppressionInput, ListSuppressionsQuery, SuppressionDto } from "../../suppression/schemas.ts";
import {
  addSuppression,
  checkAddress,
  exportSuppressionsCsv,
  importSuppressions,
  listSuppressions,
  removeSuppression,
} from "../../suppression/service.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

const Decision = z.object({
  allowed: z.boolean(),
  reason: z.string().optional(),
  scope: z.string().optional(),
  suppressionReason: z.string().optional(),
});

export const suppressionRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["Suppression"],
      summary: "Suppression entries (yours, plus platform-wide ones)",
      ...guard("leads:read"),
      request: { query: ListSuppressionsQuery },
      responses: { 200: json(z.object({ items: z.array(SuppressionDto), nextCursor: z.string().nullable() })), ...ERRORS },
    }),
    async (c) => c.json(await listSuppressions(c.var.ctx, c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags: ["Suppression"],
      summary: "Suppress an address or a whole domain",
      ...guard("leads:write"),
      request: { body: body(AddSuppressionInput) },
      responses: { 201: json(SuppressionDto, "Added"), ...ERRORS },
    }),
    async (c) => c.json(await addSuppression(c.var.ctx, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/import",
      tags: ["Suppression"],
      summary: "Bulk add (one address or domain per value)",
      ...guard("leads:write"),
      request: {
        body: body(
          z.object({
            values: z.array(z.string().max(254)).min(1).max(100_000),
            scope: z.enum(["tenant", "workspace"]).default("tenant"),
            workspaceId: z.string().max(64).optional(),
            reason: AddSuppressionInput.shape.reason,
          }),
        ),
      },
      responses: {
        200: json(z.object({ added: z.number(), alreadyPresent: z.number(), invalid: z.array(z.string()), invalidCount: z.number() })),
        ...ERRORS,
      },
    }),
    async (c) => c.json(await importSuppressions(c.var.ctx, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/export.csv",
      tags: ["Suppression"],
      summary: "All entries as CSV",
      ...guard("leads:read"),
      responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, ...ERRORS },
    }),
    async (c) =>
      c.body(await exportSuppressionsCsv(c.var.ctx), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="suppression-list.csv"',
      }),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/check",
      tags: ["Suppression"],
      summary: "May we mail this address for this workspace?",
      ...guard("leads:read"),
      request: { query: z.object({ workspaceId: z.string().min(1).max(64), email: z.string().min(3).max(254) }) },
      responses: { 200: json(Decision), ...ERRORS },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(await checkAddress(c.var.ctx, q.workspaceId, q.email), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{suppressionId}",
      tags: ["Suppression"],
      summary: "Remove an entry (platform-wide entries cannot be removed)",
      ...guard("leads:write"),
      request: { params: IdParam("suppressionId", "sup_01JD…") },
      responses: { 200: json(z.object({ removed: z.literal(true) })), ...ERRORS },
    }),
    async (c) => c.json(await removeSuppression(c.var.ctx, c.req.param("suppressionId")), 200),
  );
