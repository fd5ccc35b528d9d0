/** The tenants domain's public surface. */
export { requireWorkspaceRole, workspaceRole } from "./access.ts";
export { acceptInvitation, createInvitation, listInvitations, peekInvitation, revokeInvitation } from "./invitations.ts";
export { changeMemberRole, listMembers, removeMember, transferOwnership } from "./members.ts";
export { getOnboarding } from "./onboarding.ts";
export type { MyTenant } from "./queries.ts";
export { listMyTenants } from "./queries.ts";
export { slugify } from "./slug.ts";
export { TENANT_ROLES, WORKSPACE_ROLES } from "./tables.ts";
export { getCurrentTenant, updateTenant } from "./tenant.ts";
export { createWorkspace, deleteWorkspace, getWorkspace, listWorkspaces, updateWorkspace } from "./workspaces.ts";
