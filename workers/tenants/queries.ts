import { sql } from "drizzle-orm";
import { type Ctx, withTx } from "../platform/context.ts";
import { memberships } from "./tables.ts";

export type MyTenant = {
  id: string;
  name: string;
  role: string;
};

/** Every tenant the acting user belongs to (for the switcher); visible through the own-membership policy. */
export async function listMyTenants(ctx: Ctx): Promise<MyTenant[]> {
  const userId = ctx.actor?.userId;
  if (!userId) return [];
  return withTx(ctx, (tx) =>
    tx.execute<MyTenant>(sql`
      select t.id, t.name, m.role from ${memberships} m join tenants t on t.id = m.tenant_id
      where m.user_id = ${userId} order by t.name`),
  ).then((r) => r.rows);
}
