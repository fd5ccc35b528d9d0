/** The API keys domain's public surface. */
export { ApiKeyDto, CreateApiKeyInput, CreatedApiKey } from "./schemas.ts";
export type { ResolvedApiKey } from "./service.ts";
export { createApiKey, listApiKeys, resolveApiKey, revokeApiKey } from "./service.ts";
