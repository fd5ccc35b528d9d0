import { signUp } from "../../workers/auth/sign-up.ts";
import type { RequestScope, TenantRole } from "../../workers/platform/context.ts";
import { newId } from "../../workers/platform/ids.ts";

export interface SeededTenant {
  tenantId: string;
  userId: string;
  workspaceId: string;
  email: string;
  password: string;
  company: string;
}

/** A new tenant with its owner and default workspace, through the real sign-up verb. Unique per call. */
export async function seedTenant(scope: RequestScope, label = "Acme"): Promise<SeededTenant> {
  const unique = newId("usr").slice(-10).toLowerCase();
  const input = {
    name: `${label} Owner`,
    email: `owner-${unique}@${label.toLowerCase()}.test`,
    password: `pw-${unique}-secret`,
    company: `${label} ${unique}`,
  };
  const r = await signUp(scope, input, { verified: true });
  return { ...r, email: input.email, password: input.password, company: input.company };
}

/** Makes scope act as `userId` in `tenantId` (what the session middleware does for a request). */
export function actAs(scope: RequestScope, t: { tenantId: string; userId: string }, role: TenantRole = "owner") {
  scope.actor = { kind: "user", userId: t.userId, sessionId: "ses_test", email: "t@test", name: "Test" };
  scope.tenant = { id: t.tenantId, name: "Test", role };
  return scope;
}
