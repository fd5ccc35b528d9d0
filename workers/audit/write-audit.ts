import type { Ctx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { auditLog } from "./tables.ts";

export interface AuditEntry {
  action: string;
  tenantId?: string;
  actorUserId?: string | null;
  targetType?: string;
  targetId?: string;
  summary?: Record<string, unknown>;
}

/** Written with the caller's tx so the record exists exactly when the change does. */
export async function writeAudit(tx: Tx, ctx: Ctx, entry: AuditEntry): Promise<void> {
  const tenantId = entry.tenantId ?? ctx.tenant?.id;
  if (!tenantId) throw new Error("writeAudit needs a tenant");
  const actor = ctx.actor;
  await tx.insert(auditLog).values({
    id: newId("aud"),
    tenantId,
    actorUserId: entry.actorUserId ?? actor?.userId ?? null,
    actorKind: actor?.kind === "api_key" ? "api_key" : actor?.kind === "system" ? "system" : "user",
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    summary: entry.summary ?? null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
  });
}
