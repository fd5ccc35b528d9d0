import { z } from "@hono/zod-openapi";
import { API_KEY_SCOPES } from "../auth/permissions.ts";

export const ApiKeyScope = z.enum(API_KEY_SCOPES);

export const CreateApiKeyInput = z
  .object({
    name: z.string().trim().min(1).max(80).openapi({ example: "CRM sync" }),
    scopes: z.array(ApiKeyScope).min(1).max(API_KEY_SCOPES.length),
  })
  .openapi("CreateApiKeyInput");
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const ApiKeyDto = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ example: "pm_live_a1b2" }),
    scopes: z.array(z.string()),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");
export type ApiKeyDto = z.infer<typeof ApiKeyDto>;

export const CreatedApiKey = ApiKeyDto.extend({
  key: z.string().openapi({ description: "The full key. Shown once; store it now." }),
}).openapi("CreatedApiKey");
