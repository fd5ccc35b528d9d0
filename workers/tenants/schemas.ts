import { z } from "@hono/zod-openapi";
import { Email } from "../auth/schemas.ts";

const Slug = z
  .string()
  .trim()
  .min(1)
  .max(48)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes");

export const CreateWorkspaceInput = z
  .object({ name: z.string().trim().min(1).max(100).openapi({ example: "Acme Outreach" }), slug: Slug.optional() })
  .openapi("CreateWorkspaceInput");
export type CreateWorkspaceInput = z.infer<typeof CreateWorkspaceInput>;

export const UpdateWorkspaceInput = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    slug: Slug.optional(),
    postalAddress: z
      .string()
      .trim()
      .min(10, "Enter the full postal address (street, city, postcode, country)")
      .max(500)
      .nullable()
      .optional()
      .openapi({ description: "CAN-SPAM: the physical address added to every campaign message; required to launch" }),
  })
  .refine((v) => v.name !== undefined || v.slug !== undefined || v.postalAddress !== undefined, "Give a name, a slug or a postal address")
  .openapi("UpdateWorkspaceInput");
export type UpdateWorkspaceInput = z.infer<typeof UpdateWorkspaceInput>;

export const DeleteWorkspaceInput = z.object({ confirmName: z.string() }).openapi("DeleteWorkspaceInput");

export const WorkspaceDto = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    postalAddress: z.string().nullable(),
    members: z.number().int(),
    createdAt: z.string(),
  })
  .openapi("Workspace");
export type WorkspaceDto = z.infer<typeof WorkspaceDto>;

export const TenantDto = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(["active", "suspended"]),
    plan: z.string(),
    sessionIdleMinutes: z.number(),
    sessionMaxDays: z.number(),
    role: z.enum(["owner", "admin", "member"]).nullable(),
    createdAt: z.string(),
  })
  .openapi("Tenant");

export const UpdateTenantInput = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    sessionIdleMinutes: z
      .number()
      .int()
      .min(15)
      .max(7 * 24 * 60)
      .optional()
      .openapi({ description: "Sign members out after this long without activity" }),
    sessionMaxDays: z
      .number()
      .int()
      .min(1)
      .max(30)
      .optional()
      .openapi({ description: "Sign members out this many days after sign-in, whatever their activity" }),
  })
  .refine((v) => Object.keys(v).length > 0, "Nothing to change")
  .openapi("UpdateTenantInput");

export const MemberDto = z
  .object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(["owner", "admin", "member"]),
    workspaces: z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(["admin", "member", "viewer"]) })),
    joinedAt: z.string(),
    lastActiveAt: z.string().nullable(),
  })
  .openapi("Member");
export type MemberDto = z.infer<typeof MemberDto>;

export const ChangeRoleInput = z.object({ role: z.enum(["admin", "member"]) }).openapi("ChangeRoleInput");

export const CreateInvitationInput = z
  .object({
    email: Email,
    role: z.enum(["admin", "member"]).default("member"),
    workspaces: z
      .array(z.object({ id: z.string().min(1).max(64), role: z.enum(["admin", "member", "viewer"]).default("member") }))
      .max(100)
      .default([]),
    note: z.string().trim().max(500).optional(),
  })
  .openapi("CreateInvitationInput");
export type CreateInvitationInput = z.infer<typeof CreateInvitationInput>;

export const InvitationDto = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(["owner", "admin", "member"]),
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    expiresAt: z.string(),
    createdAt: z.string(),
  })
  .openapi("Invitation");
export type InvitationDto = z.infer<typeof InvitationDto>;
