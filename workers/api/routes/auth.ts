import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { setCookie } from "hono/cookie";
import { sessionCookieName } from "../../auth/constants.ts";
import { SignInInput, SignUpInput, signIn, signUp } from "../../auth/index.ts";
import { limitByIp as limitIp } from "../../auth/ip-limit.ts";
import { forgotPassword, resetPassword } from "../../auth/password-reset.ts";
import { Email, Password } from "../../auth/schemas.ts";
import { verifyEmail } from "../../auth/verify-email.ts";
import { body, ERRORS, json } from "../openapi.ts";
import { newRouter } from "../router.ts";
import type { AppEnv } from "../types.ts";

/**
 * Public account endpoints (no auth). Sign-in and reset are limited per client IP in a Durable
 * Object (10/min and 5/min) on top of the per-account lockout.
 */
const Tokened = z.object({ token: z.string().min(1).max(128) });
const Session = z.object({ userId: z.string(), activeTenantId: z.string().nullable() }).openapi("SessionStarted");

const limitByIp = (c: Context<AppEnv>, bucket: "signin" | "signup" | "reset") => limitIp(c.env, c.var.ctx.ip, bucket);

function startSession(c: Context<AppEnv>, token: string) {
  const cfg = c.var.ctx.config;
  setCookie(c, sessionCookieName(cfg.APP_URL), token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: cfg.APP_URL.startsWith("https:"),
    maxAge: 30 * 86_400,
  });
}

export const authRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/sign-up",
      tags: ["Auth"],
      summary: "Create an account, its organization and a default workspace",
      request: { body: body(SignUpInput) },
      responses: { 201: json(Session, "Signed up; verification e-mail sent"), ...ERRORS },
    }),
    async (c) => {
      await limitByIp(c, "signup");
      const input = c.req.valid("json");
      const r = await signUp(c.var.ctx, input);
      const s = await signIn(c.var.ctx, { email: input.email, password: input.password });
      startSession(c, s.token);
      return c.json({ userId: r.userId, activeTenantId: r.tenantId }, 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/sign-in",
      tags: ["Auth"],
      summary: "Sign in with e-mail and password (sets the session cookie)",
      request: { body: body(SignInInput) },
      responses: { 200: json(Session), ...ERRORS },
    }),
    async (c) => {
      await limitByIp(c, "signin");
      const s = await signIn(c.var.ctx, c.req.valid("json"));
      startSession(c, s.token);
      return c.json({ userId: s.userId, activeTenantId: s.activeTenantId }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/verify-email",
      tags: ["Auth"],
      summary: "Confirm an e-mail address with the token from the verification link",
      request: { body: body(Tokened) },
      responses: { 200: json(z.object({ verified: z.literal(true) })), ...ERRORS },
    }),
    async (c) => {
      await verifyEmail(c.var.ctx, c.req.valid("json").token);
      return c.json({ verified: true as const }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/forgot-password",
      tags: ["Auth"],
      summary: "Send a password-reset link (the answer never reveals whether the address exists)",
      request: { body: body(z.object({ email: Email })) },
      responses: { 202: json(z.object({ accepted: z.literal(true) })), ...ERRORS },
    }),
    async (c) => {
      await limitByIp(c, "reset");
      return c.json(await forgotPassword(c.var.ctx, c.req.valid("json").email), 202);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/reset-password",
      tags: ["Auth"],
      summary: "Set a new password with a reset token; ends other sessions and signs in",
      request: { body: body(Tokened.extend({ password: Password })) },
      responses: { 200: json(Session), ...ERRORS },
    }),
    async (c) => {
      await limitByIp(c, "reset");
      const { token, password } = c.req.valid("json");
      const r = await resetPassword(c.var.ctx, token, password);
      startSession(c, r.token);
      return c.json({ userId: r.userId, activeTenantId: null }, 200);
    },
  );

export { startSession };
