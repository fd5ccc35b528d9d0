import { createRoute } from "@hono/zod-openapi";
import { TenantDto, UpdateTenantInput } from "../../tenants/schemas.ts";
import { getCurrentTenant, updateTenant } from "../../tenants/tenant.ts";
import { body, ERRORS, guard, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

export const tenantRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/tenant",
      tags: ["Organization"],
      summary: "The active organization",
      ...guard("tenant:read"),
      responses: { 200: json(TenantDto), ...ERRORS },
    }),
    async (c) => c.json(await getCurrentTenant(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/tenant",
      tags: ["Organization"],
      summary: "Rename the organization (owner/admin)",
      ...guard("tenant:write", { sessionOnly: true }),
      request: { body: body(UpdateTenantInput) },
      responses: { 200: json(TenantDto), ...ERRORS },
    }),
    async (c) => c.json(await updateTenant(c.var.ctx, c.req.valid("json")), 200),
  );
