import { createRoute, z } from "@hono/zod-openapi";
import { CreateWorkspaceInput, DeleteWorkspaceInput, UpdateWorkspaceInput, WorkspaceDto } from "../../tenants/schemas.ts";
import { createWorkspace, deleteWorkspace, getWorkspace, listWorkspaces, updateWorkspace } from "../../tenants/workspaces.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

const params = IdParam("workspaceId", "wsp_01JD…");

export const workspaceRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["Workspaces"],
      summary: "List workspaces you can see",
      ...guard("workspaces:read"),
      responses: { 200: json(z.object({ items: z.array(WorkspaceDto) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listWorkspaces(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags: ["Workspaces"],
      summary: "Create a workspace (owner/admin; counts against the plan)",
      ...guard("workspaces:write"),
      request: { body: body(CreateWorkspaceInput) },
      responses: { 201: json(WorkspaceDto, "Created"), ...ERRORS },
    }),
    async (c) => c.json(await createWorkspace(c.var.ctx, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{workspaceId}",
      tags: ["Workspaces"],
      summary: "Get a workspace",
      ...guard("workspaces:read"),
      request: { params },
      responses: { 200: json(WorkspaceDto), ...ERRORS },
    }),
    async (c) => c.json(await getWorkspace(c.var.ctx, c.req.param("workspaceId")), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{workspaceId}",
      tags: ["Workspaces"],
      summary: "Rename a workspace or change its slug (workspace admin)",
      ...guard("workspaces:write"),
      request: { params, body: body(UpdateWorkspaceInput) },
      responses: { 200: json(WorkspaceDto), ...ERRORS },
    }),
    async (c) => c.json(await updateWorkspace(c.var.ctx, c.req.param("workspaceId"), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{workspaceId}",
      tags: ["Workspaces"],
      summary: "Delete a workspace and everything in it (type its name to confirm)",
      ...guard("workspaces:write"),
      request: { params, body: body(DeleteWorkspaceInput) },
      responses: { 200: json(z.object({ deleted: z.literal(true) })), ...ERRORS },
    }),
    async (c) => c.json(await deleteWorkspace(c.var.ctx, c.req.param("workspaceId"), c.req.valid("json").confirmName), 200),
  );
