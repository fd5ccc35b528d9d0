import type { Ctx, TenantRole } from "../platform/context.ts";
import { AppError } from "../platform/errors.ts";

/**
 * What an actor may do in the active tenant. Users get permissions from their tenant role; API keys
 * from their scopes, which are a subset of the same strings (SPEC §2.3, decision 2: billing is
 * owner-only to write, admin may read).
 */
export const PERMISSIONS = [
  "tenant:read",
  "tenant:write",
  "billing:read",
  "billing:write",
  "members:read",
  "members:write",
  "workspaces:read",
  "workspaces:write",
  "api_keys:read",
  "api_keys:write",
  "audit:read",
  "campaigns:read",
  "campaigns:write",
  "leads:read",
  "leads:write",
  "send",
  "infra:read",
  "infra:write",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Scopes an API key may carry; key management and billing stay in the dashboard. */
export const API_KEY_SCOPES = [
  "tenant:read",
  "members:read",
  "workspaces:read",
  "workspaces:write",
  "audit:read",
  "campaigns:read",
  "campaigns:write",
  "leads:read",
  "leads:write",
  "send",
  "infra:read",
  "infra:write",
] as const satisfies readonly Permission[];
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const CONTENT: Permission[] = [
  "tenant:read",
  "members:read",
  "workspaces:read",
  "campaigns:read",
  "campaigns:write",
  "leads:read",
  "leads:write",
  "send",
  "infra:read",
];

export const ROLE_PERMISSIONS: Record<TenantRole, ReadonlySet<Permission>> = {
  owner: new Set(PERMISSIONS),
  admin: new Set(PERMISSIONS.filter((p) => p !== "billing:write")),
  member: new Set(CONTENT),
};

export function can(ctx: Ctx, permission: Permission): boolean {
  const actor = ctx.actor;
  if (!actor || !ctx.tenant) return false;
  if (actor.kind === "api_key") return actor.scopes.includes(permission);
  if (actor.kind === "system") return true;
  return ROLE_PERMISSIONS[ctx.tenant.role].has(permission);
}

export function requirePermission(ctx: Ctx, permission: Permission): void {
  if (!ctx.actor) throw new AppError("UNAUTHENTICATED", "Sign in or send an API key.");
  if (!ctx.tenant) throw new AppError("FORBIDDEN", "No active organization for this session.");
  if (!can(ctx, permission)) {
    const who = ctx.actor.kind === "api_key" ? "This API key lacks the scope" : "Your role does not allow";
    throw new AppError("FORBIDDEN", `${who} "${permission}".`);
  }
}

export function requireUserActor(ctx: Ctx) {
  const a = ctx.actor;
  if (!a) throw new AppError("UNAUTHENTICATED", "Sign in first.");
  if (a.kind !== "user") throw new AppError("FORBIDDEN", "This action needs a signed-in user, not an API key.");
  return a;
}
