import { z } from "@hono/zod-openapi";
import { SUPPRESSION_REASONS } from "./tables.ts";

export const AddSuppressionInput = z
  .object({
    value: z
      .string()
      .trim()
      .min(3)
      .max(254)
      .openapi({ example: "@competitor.com", description: "An address, or a domain (with or without @)" }),
    scope: z.enum(["tenant", "workspace"]).default("tenant"),
    workspaceId: z.string().max(64).optional(),
    reason: z.enum(SUPPRESSION_REASONS).exclude(["abuse"]).default("manual"),
    note: z.string().trim().max(500).optional(),
  })
  .openapi("AddSuppressionInput");
export type AddSuppressionInput = z.infer<typeof AddSuppressionInput>;

export const SuppressionDto = z
  .object({
    id: z.string(),
    scope: z.enum(["global", "tenant", "workspace"]),
    workspaceId: z.string().nullable(),
    kind: z.enum(["address", "domain"]),
    value: z.string(),
    reason: z.string(),
    note: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Suppression");
export type SuppressionDto = z.infer<typeof SuppressionDto>;

export const ListSuppressionsQuery = z.object({
  q: z.string().trim().max(254).optional(),
  scope: z.enum(["global", "tenant", "workspace"]).optional(),
  workspaceId: z.string().max(64).optional(),
  reason: z.enum(SUPPRESSION_REASONS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListSuppressionsQuery = z.infer<typeof ListSuppressionsQuery>;
