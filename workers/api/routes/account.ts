import { createRoute, z } from "@hono/zod-openapi";
import { deleteCookie, getCookie } from "hono/cookie";
import {
  changePassword,
  confirmEmailChange,
  deleteAccount,
  listMySessions,
  requestEmailChange,
  revokeMySession,
  switchTenant,
} from "../../auth/account.ts";
import { sessionCookieName } from "../../auth/constants.ts";
import { csrfToken } from "../../auth/csrf.ts";
import { requireUserActor } from "../../auth/permissions.ts";
import { Email, Password } from "../../auth/schemas.ts";
import { revokeSession } from "../../auth/sessions.ts";
import { resendVerification } from "../../auth/verify-email.ts";
import { acceptInvitation } from "../../tenants/invitations.ts";
import { listMyTenants } from "../../tenants/queries.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";
import { startSession } from "./auth.ts";

/** The signed-in user's own account: profile, sessions, tenant switch, e-mail/password, deletion. */
const Me = z
  .object({
    user: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    apiKeyId: z.string().nullable(),
    tenant: z.object({ id: z.string(), name: z.string(), role: z.string() }).nullable(),
    tenants: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
    csrfToken: z.string().nullable(),
  })
  .openapi("Me");

const SessionDto = z
  .object({
    id: z.string(),
    current: z.boolean(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    expiresAt: z.string(),
  })
  .openapi("Session");

const Ok = z.object({ ok: z.literal(true) });

export const accountRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/me",
      tags: ["Account"],
      summary: "Who am I (user or API key), active organization, CSRF token",
      ...guard("any"),
      responses: { 200: json(Me), ...ERRORS },
    }),
    async (c) => {
      const ctx = c.var.ctx;
      const a = ctx.actor!;
      const user = a.kind === "user" ? { id: a.userId, name: a.name, email: a.email } : null;
      return c.json(
        {
          user,
          apiKeyId: a.kind === "api_key" ? a.keyId : null,
          tenant: ctx.tenant,
          tenants: a.kind === "user" ? await listMyTenants(ctx) : [],
          csrfToken: a.kind === "user" ? await csrfToken(ctx.config.AUTH_SECRET, a.sessionId) : null,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/sign-out",
      tags: ["Auth"],
      summary: "End this session",
      ...guard("self", { sessionOnly: true }),
      responses: { 200: json(Ok), ...ERRORS },
    }),
    async (c) => {
      requireUserActor(c.var.ctx);
      const name = sessionCookieName(c.var.ctx.config.APP_URL);
      const token = getCookie(c, name);
      if (token) await revokeSession(c.var.ctx, token);
      deleteCookie(c, name, { path: "/" });
      return c.json({ ok: true as const }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/resend-verification",
      tags: ["Account"],
      summary: "Send the verification e-mail again",
      ...guard("self", { sessionOnly: true }),
      responses: { 202: json(z.object({ sent: z.boolean() })), ...ERRORS },
    }),
    async (c) => c.json(await resendVerification(c.var.ctx), 202),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/password",
      tags: ["Account"],
      summary: "Change password (ends every other session)",
      ...guard("self", { sessionOnly: true }),
      request: { body: body(z.object({ currentPassword: z.string().min(1).max(256), newPassword: Password })) },
      responses: { 200: json(Ok), ...ERRORS },
    }),
    async (c) => {
      const r = await changePassword(c.var.ctx, c.req.valid("json"));
      startSession(c, r.token);
      return c.json({ ok: true as const }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/email",
      tags: ["Account"],
      summary: "Change sign-in e-mail (confirmed from the new address)",
      ...guard("self", { sessionOnly: true }),
      request: { body: body(z.object({ password: z.string().min(1).max(256), newEmail: Email })) },
      responses: { 202: json(z.object({ pendingEmail: z.string() })), ...ERRORS },
    }),
    async (c) => c.json(await requestEmailChange(c.var.ctx, c.req.valid("json")), 202),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/email/confirm",
      tags: ["Account"],
      summary: "Confirm a new e-mail with the token from the link",
      request: { body: body(z.object({ token: z.string().min(1).max(128) })) },
      responses: { 200: json(z.object({ email: z.string() })), ...ERRORS },
    }),
    async (c) => {
      const r = await confirmEmailChange(c.var.ctx, c.req.valid("json").token);
      return c.json({ email: r.email }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/delete",
      tags: ["Account"],
      summary: 'Delete your account (type "DELETE"; 30-day recovery window)',
      ...guard("self", { sessionOnly: true }),
      request: { body: body(z.object({ confirm: z.string(), password: z.string().min(1).max(256) })) },
      responses: { 200: json(z.object({ deleted: z.literal(true), recoverableUntil: z.string() })), ...ERRORS },
    }),
    async (c) => {
      const r = await deleteAccount(c.var.ctx, c.req.valid("json"));
      deleteCookie(c, sessionCookieName(c.var.ctx.config.APP_URL), { path: "/" });
      return c.json({ deleted: true as const, recoverableUntil: r.recoverableUntil }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/sessions",
      tags: ["Account"],
      summary: "Your active sessions",
      ...guard("self", { sessionOnly: true }),
      responses: { 200: json(z.object({ items: z.array(SessionDto) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listMySessions(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/me/sessions/{sessionId}",
      tags: ["Account"],
      summary: "Revoke one of your sessions",
      ...guard("self", { sessionOnly: true }),
      request: { params: IdParam("sessionId", "ses_01JD…") },
      responses: { 200: json(z.object({ revoked: z.boolean() })), ...ERRORS },
    }),
    async (c) => c.json(await revokeMySession(c.var.ctx, c.req.param("sessionId")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/tenant",
      tags: ["Account"],
      summary: "Switch the active organization (rotates the session)",
      ...guard("self", { sessionOnly: true }),
      request: { body: body(z.object({ tenantId: z.string().min(1).max(64) })) },
      responses: { 200: json(z.object({ tenantId: z.string() })), ...ERRORS },
    }),
    async (c) => {
      const r = await switchTenant(c.var.ctx, c.req.valid("json").tenantId);
      startSession(c, r.token);
      return c.json({ tenantId: r.tenantId }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/invitations/accept",
      tags: ["Team"],
      summary: "Accept an invitation as the signed-in user (joins and switches to that organization)",
      ...guard("self", { sessionOnly: true }),
      request: { body: body(z.object({ token: z.string().min(1).max(128) })) },
      responses: { 200: json(z.object({ tenantId: z.string() })), ...ERRORS },
    }),
    async (c) => {
      const { tenantId } = await acceptInvitation(c.var.ctx, c.req.valid("json").token);
      const s = await switchTenant(c.var.ctx, tenantId);
      startSession(c, s.token);
      return c.json({ tenantId }, 200);
    },
  );
