import { and, desc, eq } from "drizzle-orm";
import { requirePermission } from "../auth/permissions.ts";
import { users } from "../auth/tables.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { afterCursor, cursorTs, encodeCursor } from "../platform/cursor.ts";
import { auditLog } from "./tables.ts";

export interface AuditQuery {
  limit: number;
  before?: string; // cursor from the previous page's nextCursor
  action?: string;
}

/** Newest first, cursor-paginated; owners and admins only (audit:read). */
export async function listAuditLog(ctx: Ctx, q: AuditQuery) {
  requirePermission(ctx, "audit:read");
  const rows = await withTx(ctx, (tx) =>
    tx
      .select({ entry: auditLog, actorName: users.name, actorEmail: users.email, ts: cursorTs(auditLog.createdAt) })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .where(
        and(
          eq(auditLog.tenantId, ctx.tenant!.id),
          afterCursor(auditLog.createdAt, auditLog.id, q.before),
          q.action ? eq(auditLog.action, q.action) : undefined,
        ),
      )
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(q.limit + 1),
  );
  const page = rows.slice(0, q.limit);
  return {
    items: page.map(({ entry, actorName, actorEmail }) => ({
      id: entry.id,
      action: entry.action,
      actor: { kind: entry.actorKind, userId: entry.actorUserId, name: actorName, email: actorEmail },
      targetType: entry.targetType,
      targetId: entry.targetId,
      summary: entry.summary,
      ip: entry.ip,
      userAgent: entry.userAgent,
      requestId: entry.requestId,
      createdAt: entry.createdAt.toISOString(),
    })),
    nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!.ts, page.at(-1)!.entry.id) : null,
  };
}
