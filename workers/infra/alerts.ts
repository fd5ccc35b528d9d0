import { and, eq, inArray, isNull } from "drizzle-orm";
import { users } from "../auth/tables.ts";
import { recordMail } from "../mailer/send.ts";
import type { Ctx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { memberships } from "../tenants/tables.ts";

/**
 * Alerts by e-mail to the organization's owners and admins: DNS drift, a failed or finished
 * provisioning run, a spam complaint (inbound/process.ts). Recorded in the caller's transaction like all platform mail; the
 * returned function submits after commit.
 */
export async function alertAdmins(tx: Tx, ctx: Ctx, tenantId: string, subject: string, text: string): Promise<() => void> {
  const admins = await tx
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.role, ["owner", "admin"]), isNull(users.deletedAt)));
  const sends: (() => void)[] = [];
  for (const a of admins) sends.push(await recordMail(tx, ctx, { kind: "infra_alert", to: a.email, subject, text }));
  return () => {
    for (const s of sends) s();
  };
}
