import { type RouteConfig, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { type Permission, requirePermission } from "../auth/permissions.ts";
import { AppError } from "../platform/errors.ts";
import type { AppEnv } from "./types.ts";

/** Shared OpenAPI pieces: the error envelope schema and the standard error responses per route. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "NOT_FOUND" }),
      message: z.string(),
      requestId: z.string().openapi({ example: "req_01JD3…" }),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

const err = (description: string) => ({ description, content: { "application/json": { schema: ErrorBody } } });

export const ERRORS = {
  400: err("Invalid input"),
  401: err("Not authenticated"),
  403: err("Not allowed (role, scope or CSRF)"),
  404: err("Not found in your organization"),
  409: err("Conflict"),
  429: err("Rate limited"),
} as const;

export const json = <T extends z.ZodType>(schema: T, description = "OK") => ({
  description,
  content: { "application/json": { schema } },
});

export const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** Security requirement for routes open to both API keys and dashboard sessions. */
export const AUTHED: RouteConfig["security"] = [{ bearer: [] }, { session: [] }];
/** Dashboard-session-only routes (account and key management). */
export const SESSION_ONLY: RouteConfig["security"] = [{ session: [] }];

export const IdParam = (name: string, example: string) =>
  z.object({
    [name]: z
      .string()
      .min(1)
      .max(64)
      .openapi({ param: { name, in: "path" }, example }),
  });

export type Guard = Permission | "self" | "owner" | "staff" | "any";

/**
 * Declares who may call a route, in one place: the OpenAPI security and `x-permission` (read by
 * the isolation suite) plus a middleware that runs before body validation, so an anonymous or
 * under-privileged caller gets 401/403 however malformed their body is. Verbs check again.
 */
export function guard(permission: Guard, opts: { sessionOnly?: boolean } = {}) {
  const gate: MiddlewareHandler<AppEnv> = async (c, next) => {
    const ctx = c.var.ctx;
    if (!ctx.actor) throw new AppError("UNAUTHENTICATED", "Sign in or send an API key (Authorization: Bearer pm_live_…).");
    if (opts.sessionOnly && ctx.actor.kind !== "user")
      throw new AppError("FORBIDDEN", "This endpoint needs a signed-in user, not an API key.");
    if (permission === "owner" && ctx.tenant?.role !== "owner")
      throw new AppError("FORBIDDEN", "Only the organization's owner can do this.");
    if (permission !== "self" && permission !== "owner" && permission !== "staff" && permission !== "any")
      requirePermission(ctx, permission);
    await next();
  };
  return {
    security: opts.sessionOnly ? SESSION_ONLY : AUTHED,
    "x-permission": permission,
    middleware: gate,
  };
}
