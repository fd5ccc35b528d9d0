import { createRoute, z } from "@hono/zod-openapi";
import { addTrackingDomain, listTrackingDomains, removeTrackingDomain, verifyTrackingDomain } from "../../tracking/domains.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

const Dto = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    hostname: z.string(),
    status: z.enum(["pending", "verified", "failed"]),
    cnameTarget: z.string(),
    lastError: z.string().nullable(),
    checkedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("TrackingDomain");
const param = IdParam("trackingDomainId", "tdm_01JD…");

export const trackingDomainRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["Tracking"],
      summary: "Custom tracking domains",
      ...guard("campaigns:read"),
      request: { query: z.object({ workspaceId: z.string().max(64).optional() }) },
      responses: { 200: json(z.object({ items: z.array(Dto) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listTrackingDomains(c.var.ctx, c.req.valid("query").workspaceId) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags: ["Tracking"],
      summary: "Add a tracking domain (then CNAME it to cnameTarget and verify)",
      ...guard("campaigns:write"),
      request: { body: body(z.object({ workspaceId: z.string().min(1).max(64), hostname: z.string().min(4).max(253) })) },
      responses: { 201: json(Dto, "Added"), ...ERRORS },
    }),
    async (c) => c.json(await addTrackingDomain(c.var.ctx, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{trackingDomainId}/verify",
      tags: ["Tracking"],
      summary: "Check the CNAME over DNS-over-HTTPS",
      ...guard("campaigns:write"),
      request: { params: param },
      responses: { 200: json(Dto), ...ERRORS },
    }),
    async (c) => c.json(await verifyTrackingDomain(c.var.ctx, c.req.param("trackingDomainId")), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{trackingDomainId}",
      tags: ["Tracking"],
      summary: "Remove a tracking domain",
      ...guard("campaigns:write"),
      request: { params: param },
      responses: { 200: json(z.object({ removed: z.literal(true) })), ...ERRORS },
    }),
    async (c) => c.json(await removeTrackingDomain(c.var.ctx, c.req.param("trackingDomainId")), 200),
  );
