import { createRoute, z } from "@hono/zod-openapi";
import { listAuditLog } from "../../audit/list-audit.ts";
import { ERRORS, guard, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

const AuditEntry = z
  .object({
    id: z.string(),
    action: z.string(),
    actor: z.object({ kind: z.string(), userId: z.string().nullable(), name: z.string().nullable(), email: z.string().nullable() }),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    summary: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("AuditEntry");

const Query = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(200).optional().openapi({ description: "nextCursor from the previous page" }),
  action: z.string().max(64).optional(),
});

export const auditRoutes = newRouter().openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["Audit"],
    summary: "Audit log, newest first (owner/admin)",
    ...guard("audit:read"),
    request: { query: Query },
    responses: { 200: json(z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() })), ...ERRORS },
  }),
  async (c) => c.json(await listAuditLog(c.var.ctx, c.req.valid("query")), 200),
);
