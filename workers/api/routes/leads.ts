import { createRoute, z } from "@hono/zod-openapi";
import { bulkLeads, createList, defineField, deleteList, listFields, listLists } from "../../leads/lists.ts";
import {
  BulkLeadsInput,
  CreateLeadInput,
  CreateListInput,
  FieldInput,
  LeadDto,
  ListDto,
  ListLeadsQuery,
  UpdateLeadInput,
} from "../../leads/schemas.ts";
import { createLead, deleteLeads, getLead, listLeads, updateLead } from "../../leads/service.ts";
import { AppError } from "../../platform/errors.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

const leadParam = IdParam("leadId", "led_01JD…");

export const leadRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/leads",
      tags: ["Leads"],
      summary: "Search and filter leads (cursor pagination, newest first)",
      ...guard("leads:read"),
      request: { query: ListLeadsQuery },
      responses: { 200: json(z.object({ items: z.array(LeadDto), nextCursor: z.string().nullable() })), ...ERRORS },
    }),
    async (c) => c.json(await listLeads(c.var.ctx, c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/leads",
      tags: ["Leads"],
      summary: "Create a lead",
      ...guard("leads:write"),
      request: { body: body(CreateLeadInput) },
      responses: { 201: json(LeadDto, "Created"), ...ERRORS },
    }),
    async (c) => c.json(await createLead(c.var.ctx, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/leads/{leadId}",
      tags: ["Leads"],
      summary: "Get a lead",
      ...guard("leads:read"),
      request: { params: leadParam },
      responses: { 200: json(LeadDto), ...ERRORS },
    }),
    async (c) => c.json(await getLead(c.var.ctx, c.req.param("leadId")), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/leads/{leadId}",
      tags: ["Leads"],
      summary: "Edit a lead (custom attributes merge)",
      ...guard("leads:write"),
      request: { params: leadParam, body: body(UpdateLeadInput) },
      responses: { 200: json(LeadDto), ...ERRORS },
    }),
    async (c) => c.json(await updateLead(c.var.ctx, c.req.param("leadId"), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/leads/{leadId}",
      tags: ["Leads"],
      summary: "Delete a lead",
      ...guard("leads:write"),
      request: { params: leadParam },
      responses: { 200: json(z.object({ deleted: z.number() })), ...ERRORS },
    }),
    async (c) => {
      const r = await deleteLeads(c.var.ctx, [c.req.param("leadId")]);
      if (r.deleted === 0) throw new AppError("NOT_FOUND", "Lead not found.");
      return c.json(r, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/leads/bulk",
      tags: ["Leads"],
      summary: "Bulk action on selected leads (add to list, remove from list, delete)",
      ...guard("leads:write"),
      request: { body: body(BulkLeadsInput) },
      responses: { 200: json(z.object({ affected: z.number() })), ...ERRORS },
    }),
    async (c) => c.json(await bulkLeads(c.var.ctx, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/lists",
      tags: ["Leads"],
      summary: "Static lead lists",
      ...guard("leads:read"),
      request: { query: z.object({ workspaceId: z.string().max(64).optional() }) },
      responses: { 200: json(z.object({ items: z.array(ListDto) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listLists(c.var.ctx, c.req.valid("query").workspaceId) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/lists",
      tags: ["Leads"],
      summary: "Create a list",
      ...guard("leads:write"),
      request: { body: body(CreateListInput) },
      responses: { 201: json(ListDto, "Created"), ...ERRORS },
    }),
    async (c) => c.json(await createList(c.var.ctx, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/lists/{listId}",
      tags: ["Leads"],
      summary: "Delete a list (its leads stay)",
      ...guard("leads:write"),
      request: { params: IdParam("listId", "lst_01JD…") },
      responses: { 200: json(z.object({ deleted: z.literal(true) })), ...ERRORS },
    }),
    async (c) => c.json(await deleteList(c.var.ctx, c.req.param("listId")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/lead-fields",
      tags: ["Leads"],
      summary: "Custom field definitions",
      ...guard("leads:read"),
      responses: { 200: json(z.object({ items: z.array(FieldInput) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listFields(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/lead-fields",
      tags: ["Leads"],
      summary: "Define (or relabel) a custom field",
      ...guard("leads:write"),
      request: { body: body(FieldInput) },
      responses: { 200: json(FieldInput), ...ERRORS },
    }),
    async (c) => c.json(await defineField(c.var.ctx, c.req.valid("json")), 200),
  );
