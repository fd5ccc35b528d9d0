import { createRoute, z } from "@hono/zod-openapi";
import { ApiKeyDto, CreateApiKeyInput, CreatedApiKey, createApiKey, listApiKeys, revokeApiKey } from "../../api-keys/index.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

/** Keys are managed from a signed-in session only: a key cannot mint or revoke keys. */
export const apiKeyRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["API keys"],
      summary: "List API keys (prefix only)",
      ...guard("api_keys:read", { sessionOnly: true }),
      responses: { 200: json(z.object({ items: z.array(ApiKeyDto) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listApiKeys(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags: ["API keys"],
      summary: "Create an API key; the full key is in this response only",
      ...guard("api_keys:write", { sessionOnly: true }),
      request: { body: body(CreateApiKeyInput) },
      responses: { 201: json(CreatedApiKey, "Created"), ...ERRORS },
    }),
    async (c) => c.json(await createApiKey(c.var.ctx, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{keyId}",
      tags: ["API keys"],
      summary: "Revoke an API key (takes effect immediately)",
      ...guard("api_keys:write", { sessionOnly: true }),
      request: { params: IdParam("keyId", "key_01JD…") },
      responses: { 200: json(ApiKeyDto), ...ERRORS },
    }),
    async (c) => c.json(await revokeApiKey(c.var.ctx, c.req.param("keyId")), 200),
  );
