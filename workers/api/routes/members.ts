import { createRoute, z } from "@hono/zod-openapi";
import { createInvitation, listInvitations, revokeInvitation } from "../../tenants/invitations.ts";
import { changeMemberRole, listMembers, removeMember, transferOwnership } from "../../tenants/members.ts";
import { ChangeRoleInput, CreateInvitationInput, InvitationDto, MemberDto } from "../../tenants/schemas.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

const userParam = IdParam("userId", "usr_01JD…");

export const memberRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/members",
      tags: ["Team"],
      summary: "Members of the organization",
      ...guard("members:read"),
      responses: { 200: json(z.object({ items: z.array(MemberDto) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listMembers(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/members/{userId}",
      tags: ["Team"],
      summary: "Change a member's role (owner/admin)",
      ...guard("members:write", { sessionOnly: true }),
      request: { params: userParam, body: body(ChangeRoleInput) },
      responses: { 200: json(z.object({ userId: z.string(), role: z.string() })), ...ERRORS },
    }),
    async (c) => c.json(await changeMemberRole(c.var.ctx, c.req.param("userId"), c.req.valid("json").role), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/members/{userId}",
      tags: ["Team"],
      summary: "Remove a member (their data stays with the organization)",
      ...guard("members:write", { sessionOnly: true }),
      request: { params: userParam },
      responses: { 200: json(z.object({ removed: z.boolean() })), ...ERRORS },
    }),
    async (c) => c.json(await removeMember(c.var.ctx, c.req.param("userId")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/members/{userId}/transfer-ownership",
      tags: ["Team"],
      summary: "Make this member the owner (owner only; you become admin)",
      ...guard("owner", { sessionOnly: true }),
      request: { params: userParam },
      responses: { 200: json(z.object({ ownerUserId: z.string() })), ...ERRORS },
    }),
    async (c) => c.json(await transferOwnership(c.var.ctx, c.req.param("userId")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/invitations",
      tags: ["Team"],
      summary: "Invitations",
      ...guard("members:read", { sessionOnly: true }),
      responses: { 200: json(z.object({ items: z.array(InvitationDto) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listInvitations(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/invitations",
      tags: ["Team"],
      summary: "Invite someone by e-mail (role + workspaces; valid 7 days)",
      ...guard("members:write", { sessionOnly: true }),
      request: { body: body(CreateInvitationInput) },
      responses: { 201: json(InvitationDto, "Invited"), ...ERRORS },
    }),
    async (c) => c.json(await createInvitation(c.var.ctx, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/invitations/{invitationId}",
      tags: ["Team"],
      summary: "Revoke a pending invitation",
      ...guard("members:write", { sessionOnly: true }),
      request: { params: IdParam("invitationId", "inv_01JD…") },
      responses: { 200: json(InvitationDto), ...ERRORS },
    }),
    async (c) => c.json(await revokeInvitation(c.var.ctx, c.req.param("invitationId")), 200),
  );
