import { eq } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { tenants } from "./tables.ts";

export async function getCurrentTenant(ctx: Ctx) {
  requirePermission(ctx, "tenant:read");
  const [t] = await withTx(ctx, (tx) => tx.select().from(tenants).where(eq(tenants.id, ctx.tenant!.id)));
  return {
    id: t!.id,
    name: t!.name,
    status: t!.status,
    plan: t!.plan,
    sessionIdleMinutes: t!.sessionIdleMinutes,
    sessionMaxDays: t!.sessionMaxDays,
    role: ctx.actor?.kind === "user" ? ctx.tenant!.role : null,
    createdAt: t!.createdAt.toISOString(),
  };
}

export async function updateTenant(ctx: Ctx, input: { name?: string; sessionIdleMinutes?: number; sessionMaxDays?: number }) {
  requirePermission(ctx, "tenant:write");
  await withTx(ctx, async (tx) => {
    const [before] = await tx
      .select({ name: tenants.name, sessionIdleMinutes: tenants.sessionIdleMinutes, sessionMaxDays: tenants.sessionMaxDays })
      .from(tenants)
      .where(eq(tenants.id, ctx.tenant!.id));
    await tx
      .update(tenants)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(tenants.id, ctx.tenant!.id));
    await writeAudit(tx, ctx, {
      action: "tenant.update",
      targetType: "tenant",
      targetId: ctx.tenant!.id,
      summary: { before, after: input },
    });
  });
  return getCurrentTenant(ctx);
}
