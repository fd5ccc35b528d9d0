/** The tenants domain's public surface. */

export type { MyTenant, WorkspaceSummary } from "./queries.ts";
export { listMyTenants, listWorkspaces } from "./queries.ts";
export { slugify } from "./slug.ts";
export { TENANT_ROLES, WORKSPACE_ROLES } from "./tables.ts";
