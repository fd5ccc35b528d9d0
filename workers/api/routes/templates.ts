import { createRoute, z } from "@hono/zod-openapi";
import { PreviewDto, PreviewInput, SaveTemplateInput, TemplateDto, UpdateTemplateInput } from "../../templates/api-schemas.ts";
import { createTemplate, deleteTemplate, getTemplate, listTemplates, previewTemplate, updateTemplate } from "../../templates/service.ts";
import { testSendTemplate } from "../../templates/test-send.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

const tplParam = IdParam("templateId", "tpl_01JD…");

export const templateRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["Templates"],
      summary: "Templates, by folder",
      ...guard("campaigns:read"),
      request: {
        query: z.object({
          workspaceId: z.string().max(64).optional(),
          folder: z.string().max(80).optional(),
          tag: z.string().max(40).optional(),
          q: z.string().max(120).optional(),
        }),
      },
      responses: { 200: json(z.object({ items: z.array(TemplateDto) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listTemplates(c.var.ctx, c.req.valid("query")) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags: ["Templates"],
      summary: "Create a template (refused with 422 and the problems when it does not validate)",
      ...guard("campaigns:write"),
      request: { body: body(SaveTemplateInput) },
      responses: { 201: json(TemplateDto, "Created"), 422: ERRORS[400], ...ERRORS },
    }),
    async (c) => c.json(await createTemplate(c.var.ctx, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/preview",
      tags: ["Templates"],
      summary: "Validate and render for a lead, with the compliance footer",
      ...guard("campaigns:read"),
      request: { body: body(PreviewInput) },
      responses: { 200: json(PreviewDto), ...ERRORS },
    }),
    async (c) => c.json(await previewTemplate(c.var.ctx, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{templateId}",
      tags: ["Templates"],
      summary: "Get a template (with current warnings)",
      ...guard("campaigns:read"),
      request: { params: tplParam },
      responses: { 200: json(TemplateDto), ...ERRORS },
    }),
    async (c) => c.json(await getTemplate(c.var.ctx, c.req.param("templateId")), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{templateId}",
      tags: ["Templates"],
      summary: "Edit a template",
      ...guard("campaigns:write"),
      request: { params: tplParam, body: body(UpdateTemplateInput) },
      responses: { 200: json(TemplateDto), 422: ERRORS[400], ...ERRORS },
    }),
    async (c) => c.json(await updateTemplate(c.var.ctx, c.req.param("templateId"), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{templateId}/test-send",
      tags: ["Templates"],
      summary: "Send the rendered template to yourself through one of your mailboxes",
      ...guard("campaigns:write", { sessionOnly: true }),
      request: { params: tplParam, body: body(z.object({ mailboxId: z.string().min(1).max(64), leadId: z.string().max(64).optional() })) },
      responses: { 200: json(z.object({ sentTo: z.string(), subject: z.string() })), ...ERRORS },
    }),
    async (c) => c.json(await testSendTemplate(c.var.ctx, c.req.param("templateId"), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{templateId}",
      tags: ["Templates"],
      summary: "Delete a template",
      ...guard("campaigns:write"),
      request: { params: tplParam },
      responses: { 200: json(z.object({ deleted: z.literal(true) })), ...ERRORS },
    }),
    async (c) => c.json(await deleteTemplate(c.var.ctx, c.req.param("templateId")), 200),
  );
