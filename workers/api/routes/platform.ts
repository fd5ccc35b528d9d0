import { createRoute, z } from "@hono/zod-openapi";
import { listTenantsForStaff, setTenantStatus, staffAuditTrail } from "../../staff/service.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

/** PenguinMails staff only; anyone else gets 404 (the routes do not exist for customers). */
const Page = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.iso.datetime({ offset: true }).optional() });
const tenantParam = IdParam("tenantId", "ten_01JD…");
const StaffTenant = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.string(),
    plan: z.string(),
    members: z.number(),
    workspaces: z.number(),
    createdAt: z.string(),
  })
  .openapi("StaffTenant");
const Reason = z.object({ reason: z.string().trim().min(3).max(500) });

export const platformRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/tenants",
      tags: ["Platform"],
      summary: "All tenants (staff)",
      ...guard("staff", { sessionOnly: true }),
      request: { query: Page.extend({ search: z.string().max(100).optional() }) },
      responses: { 200: json(z.object({ items: z.array(StaffTenant) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listTenantsForStaff(c.var.ctx, c.req.valid("query")) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/tenants/{tenantId}/suspend",
      tags: ["Platform"],
      summary: "Suspend a tenant (super_admin/admin)",
      ...guard("staff", { sessionOnly: true }),
      request: { params: tenantParam, body: body(Reason) },
      responses: { 200: json(z.object({ id: z.string(), status: z.string() })), ...ERRORS },
    }),
    async (c) => c.json(await setTenantStatus(c.var.ctx, c.req.param("tenantId"), "suspended", c.req.valid("json").reason), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/tenants/{tenantId}/unsuspend",
      tags: ["Platform"],
      summary: "Lift a suspension (super_admin/admin)",
      ...guard("staff", { sessionOnly: true }),
      request: { params: tenantParam, body: body(Reason) },
      responses: { 200: json(z.object({ id: z.string(), status: z.string() })), ...ERRORS },
    }),
    async (c) => c.json(await setTenantStatus(c.var.ctx, c.req.param("tenantId"), "active", c.req.valid("json").reason), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tenants/{tenantId}/audit",
      tags: ["Platform"],
      summary: "A tenant's audit trail (support sees it without IPs or details)",
      ...guard("staff", { sessionOnly: true }),
      request: { params: tenantParam, query: Page },
      responses: { 200: json(z.object({ items: z.array(z.record(z.string(), z.unknown())) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await staffAuditTrail(c.var.ctx, c.req.param("tenantId"), c.req.valid("query")) }, 200),
  );
