import { and, desc, eq, ilike, isNull, or, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { parseSuppressionValue } from "../leads/email.ts";
import { leads } from "../leads/tables.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { afterCursor, cursorTs, encodeCursor } from "../platform/cursor.ts";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { requireWorkspaceRole } from "../tenants/access.ts";
import { type MailDecision, mayMail } from "./may-mail.ts";
import type { AddSuppressionInput, ListSuppressionsQuery, SuppressionDto } from "./schemas.ts";
import { suppressions } from "./tables.ts";

const toDto = (r: typeof suppressions.$inferSelect): SuppressionDto => ({
  id: r.id,
  scope: r.scope,
  workspaceId: r.workspaceId,
  kind: r.kind,
  value: r.value,
  reason: r.reason,
  note: r.note,
  createdAt: r.createdAt.toISOString(),
});

// Suppressing an address for these reasons also changes the matching lead's status.
const LEAD_STATUS: Partial<Record<string, "unsubscribed" | "bounced" | "complained">> = {
  unsubscribed: "unsubscribed",
  hard_bounce: "bounced",
  complaint: "complained",
};

/**
 * The lead side of suppressing addresses, shared by suppressInTx (one entry) and the bulk import:
 * for an unsubscribe, hard bounce or complaint, the tenant's matching *active* leads take that status.
 * One statement however many addresses (an array parameter, not one bind parameter each).
 */
async function followLeadStatus(tx: Tx, tenantId: string, reason: string, addresses: string[]) {
  const status = LEAD_STATUS[reason];
  if (!status || addresses.length === 0) return;
  await tx
    .update(leads)
    .set({ status, updatedAt: new Date() })
    .where(and(eq(leads.tenantId, tenantId), sql`${leads.email} = any(${sql.param(addresses)}::text[])`, eq(leads.status, "active")));
}

/** A workspace-level entry needs its workspace; the same refusal for a single add and a bulk import. */
function assertScope(input: { scope: "tenant" | "workspace"; workspaceId?: string | null }) {
  if (input.scope === "workspace" && !input.workspaceId)
    throw new AppError("BAD_REQUEST", "Choose the workspace for a workspace-level entry.");
}

/** Inserts (idempotently) inside tx; returns whether the entry was new. Used by verbs and imports. */
export async function suppressInTx(
  tx: Tx,
  tenantId: string,
  entry: {
    scope: "tenant" | "workspace";
    workspaceId?: string | null;
    kind: "address" | "domain";
    value: string;
    reason: SuppressionDto["reason"];
    note?: string | null;
    createdBy?: string | null;
  },
): Promise<boolean> {
  const inserted = await tx
    .insert(suppressions)
    .values({
      id: newId("sup"),
      scope: entry.scope,
      tenantId,
      workspaceId: entry.scope === "workspace" ? (entry.workspaceId ?? null) : null,
      kind: entry.kind,
      value: entry.value,
      reason: entry.reason as (typeof suppressions.$inferInsert)["reason"],
      note: entry.note ?? null,
      createdBy: entry.createdBy ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: suppressions.id });
  if (entry.kind === "address") await followLeadStatus(tx, tenantId, entry.reason, [entry.value]);
  return inserted.length > 0;
}

export async function addSuppression(ctx: Ctx, input: AddSuppressionInput): Promise<SuppressionDto> {
  requirePermission(ctx, "leads:write");
  const parsed = parseSuppressionValue(input.value);
  if (!parsed) throw new AppError("BAD_REQUEST", "Enter an e-mail address or a domain such as competitor.com.");
  assertScope(input);
  const tenantId = ctx.tenant!.id;
  return withTx(ctx, async (tx) => {
    if (input.workspaceId) await requireWorkspaceRole(tx, ctx, input.workspaceId, "member");
    await suppressInTx(tx, tenantId, {
      ...parsed,
      scope: input.scope,
      workspaceId: input.workspaceId,
      reason: input.reason,
      note: input.note,
      createdBy: ctx.actor?.userId,
    });
    const [row] = await tx
      .select()
      .from(suppressions)
      .where(
        and(
          eq(suppressions.tenantId, tenantId),
          eq(suppressions.scope, input.scope),
          eq(suppressions.value, parsed.value),
          input.scope === "workspace" ? eq(suppressions.workspaceId, input.workspaceId!) : isNull(suppressions.workspaceId),
        ),
      );
    await writeAudit(tx, ctx, {
      action: "suppression.add",
      targetType: "suppression",
      targetId: row!.id,
      summary: { value: parsed.value, scope: input.scope, reason: input.reason },
    });
    return toDto(row!);
  });
}

export async function removeSuppression(ctx: Ctx, id: string): Promise<{ removed: true }> {
  requirePermission(ctx, "leads:write");
  return withTx(ctx, async (tx) => {
    const [row] = await tx
      .delete(suppressions)
      .where(and(eq(suppressions.id, id), eq(suppressions.tenantId, ctx.tenant!.id)))
      .returning();
    if (!row) throw new AppError("NOT_FOUND", "Suppression entry not found.");
    await writeAudit(tx, ctx, {
      action: "suppression.remove",
      targetType: "suppression",
      targetId: id,
      summary: { value: row.value, reason: row.reason },
    });
    return { removed: true as const };
  });
}

/** Newest first; the cursor is `createdAt|id` of the last row. Global entries are included read-only. */
export async function listSuppressions(
  ctx: Ctx,
  q: ListSuppressionsQuery,
): Promise<{ items: SuppressionDto[]; nextCursor: string | null }> {
  requirePermission(ctx, "leads:read");
  const rows = await withTx(ctx, (tx) =>
    tx
      .select({ row: suppressions, ts: cursorTs(suppressions.createdAt) })
      .from(suppressions)
      .where(
        and(
          or(eq(suppressions.tenantId, ctx.tenant!.id), eq(suppressions.scope, "global")),
          q.q ? ilike(suppressions.value, `%${q.q.replace(/[%_\\]/g, "\\$&")}%`) : undefined,
          q.scope ? eq(suppressions.scope, q.scope) : undefined,
          q.workspaceId ? eq(suppressions.workspaceId, q.workspaceId) : undefined,
          q.reason ? eq(suppressions.reason, q.reason) : undefined,
          afterCursor(suppressions.createdAt, suppressions.id, q.cursor),
        ),
      )
      .orderBy(desc(suppressions.createdAt), desc(suppressions.id))
      .limit(q.limit + 1),
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map((r) => toDto(r.row)), nextCursor: rows.length > q.limit && last ? encodeCursor(last.ts, last.row.id) : null };
}

/** "May we mail this address for this workspace?" as a verb (the check page and the API). */
export async function checkAddress(ctx: Ctx, workspaceId: string, email: string): Promise<MailDecision> {
  requirePermission(ctx, "leads:read");
  return withTx(ctx, async (tx) => {
    await requireWorkspaceRole(tx, ctx, workspaceId, "viewer");
    return mayMail(tx, ctx.tenant!.id, workspaceId, email);
  });
}

/** Bulk add from pasted lines or a CSV's first column; reports what was added, already there, invalid. */
export async function importSuppressions(
  ctx: Ctx,
  input: { values: string[]; scope: "tenant" | "workspace"; workspaceId?: string; reason: AddSuppressionInput["reason"] },
) {
  requirePermission(ctx, "leads:write");
  if (input.values.length > 100_000) throw new AppError("PAYLOAD_TOO_LARGE", "Import at most 100,000 entries at a time.");
  assertScope(input);
  const tenantId = ctx.tenant!.id;
  const invalid: string[] = [];
  const entries = new Map<string, { kind: "address" | "domain"; value: string }>();
  for (const raw of input.values) {
    if (!raw.trim()) continue;
    const p = parseSuppressionValue(raw);
    if (p) entries.set(p.value, p);
    else invalid.push(raw.slice(0, 254));
  }
  return withTx(ctx, async (tx) => {
    if (input.workspaceId) await requireWorkspaceRole(tx, ctx, input.workspaceId, "member");
    const values = [...entries.values()];
    let added = 0;
    for (let i = 0; i < values.length; i += 1000) {
      const chunk = values.slice(i, i + 1000);
      const res = await tx
        .insert(suppressions)
        .values(
          chunk.map((e) => ({
            id: newId("sup"),
            scope: input.scope,
            tenantId,
            workspaceId: input.scope === "workspace" ? input.workspaceId! : null,
            kind: e.kind,
            value: e.value,
            reason: input.reason,
            createdBy: ctx.actor?.userId ?? null,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: suppressions.id });
      added += res.length;
    }
    await followLeadStatus(
      tx,
      tenantId,
      input.reason,
      values.filter((v) => v.kind === "address").map((v) => v.value),
    );
    await writeAudit(tx, ctx, {
      action: "suppression.import",
      targetType: "suppression",
      summary: { added, alreadyPresent: values.length - added, invalid: invalid.length, scope: input.scope },
    });
    return { added, alreadyPresent: values.length - added, invalid: invalid.slice(0, 100), invalidCount: invalid.length };
  });
}

/** All of the tenant's entries (and platform-wide ones) as CSV, formula-safe. */
export async function exportSuppressionsCsv(ctx: Ctx): Promise<string> {
  requirePermission(ctx, "leads:read");
  const rows = await withTx(ctx, (tx) =>
    tx
      .select()
      .from(suppressions)
      .where(or(eq(suppressions.tenantId, ctx.tenant!.id), eq(suppressions.scope, "global")))
      .orderBy(desc(suppressions.createdAt)),
  );
  const { csvLine } = await import("../leads/csv/write.ts");
  return (
    csvLine(["value", "kind", "scope", "workspace_id", "reason", "note", "created_at"]) +
    rows.map((r) => csvLine([r.value, r.kind, r.scope, r.workspaceId, r.reason, r.note, r.createdAt.toISOString()])).join("")
  );
}
