import { and, eq, sql } from "drizzle-orm";
import type { Ctx } from "../../platform/context.ts";
import { runInTx, type Tx } from "../../platform/db.ts";
import { newId } from "../../platform/ids.ts";
import { suppressedAmong } from "../../suppression/may-mail.ts";
import { bomLength, CsvError, CsvParser } from "../csv/parse.ts";
import { fieldDefs } from "../service.ts";
import { leadImportErrors, leadImports, leadListMembers, leads } from "../tables.ts";
import { type ImportedLead, rowToLead } from "./row.ts";
import type { ImportBindings } from "./shared.ts";

/** Rows per INSERT: 3,000 × 19 columns stays under Postgres' 65,535 bind parameters. */
export const BATCH_ROWS = 3_000;
/** The validation pass writes only progress, so it commits less often. */
export const VALIDATE_BATCH_ROWS = 20_000;
const READ_BYTES = 4 * 1024 * 1024;
/** Wall time one invocation spends before handing over to a fresh message. */
const STEP_BUDGET_MS = 20_000;

type Imp = typeof leadImports.$inferSelect;
type ErrRow = { rowNumber: number; kind: "invalid" | "suppressed" | "duplicate"; reason: string; email: string | null };

/**
 * Advances one import as far as the time budget allows. Each batch of rows, its errors and the new
 * resume point (byte offset, counters) commit in ONE transaction, so a consumer that dies mid-way
 * resumes exactly after the last committed batch and never duplicates a row. Returns whether
 * another step is needed. Idempotent: a redelivered message for a finished import does nothing.
 */
export async function processImportStep(
  ctx: Ctx,
  b: ImportBindings,
  tenantId: string,
  importId: string,
  now = () => Date.now(),
): Promise<{ more: boolean }> {
  const started = now();
  const scope = { tenantId, userId: null };
  const load = () => runInTx(ctx.db, scope, async (tx) => (await tx.select().from(leadImports).where(eq(leadImports.id, importId)))[0]);
  let imp = await load();
  if (!imp || (imp.status !== "validating" && imp.status !== "importing")) return { more: false };
  const customTypes = await runInTx(ctx.db, scope, (tx) => fieldDefs(tx, tenantId));
  const columns = Object.entries(imp.mapping ?? {})
    .filter(([, t]) => t !== "ignore")
    .map(([col, target]) => ({ index: (imp!.headers ?? []).indexOf(col), target }));

  // Row 1 is the header: on a fresh pass, parse it and skip it.
  let offset = imp.byteOffset;
  let rowIndex = imp.rowsRead + 2;
  let skipHeader = false;
  if (offset === 0) {
    const head = await b.bucket.get(imp.objectKey, { range: { offset: 0, length: 4 } });
    offset = bomLength(new Uint8Array(await head!.arrayBuffer()));
    rowIndex = 1;
    skipHeader = true;
  }
  const parser = new CsvParser({ delimiter: imp.options?.delimiter ?? ",", startOffset: offset, firstRowIndex: rowIndex });
  let pending: { index: number; fields: string[]; end: number }[] = [];
  let readPos = offset;

  try {
    while (now() - started < STEP_BUDGET_MS) {
      const final = readPos >= imp.sizeBytes;
      const batchRows = imp.phase === "validate" ? VALIDATE_BATCH_ROWS : BATCH_ROWS;
      if (!final && pending.length < batchRows) {
        const obj = await b.bucket.get(imp.objectKey, {
          range: { offset: readPos, length: Math.min(READ_BYTES, imp.sizeBytes - readPos) },
        });
        const chunk = new Uint8Array(await obj!.arrayBuffer());
        readPos += chunk.length;
        const rows = parser.push(chunk, readPos >= imp.sizeBytes);
        if (skipHeader && rows.length) {
          rows.shift();
          skipHeader = false;
        }
        pending.push(...rows);
        continue;
      }
      const batch = pending.slice(0, batchRows);
      pending = pending.slice(batchRows);
      const eof = final && pending.length === 0;
      const r = await commitBatch(ctx, imp, batch, columns, customTypes, eof);
      // Another consumer got there first (a redelivered message): leave the rest to it.
      if (!r.committed) return { more: false };
      imp = r.imp;
      // The validation pass ended and the import pass restarts from the top with a fresh parser.
      if (imp.phase === "import" && imp.byteOffset === 0 && imp.status === "importing") return { more: true };
      if (imp.status !== "validating" && imp.status !== "importing") return { more: false };
      if (eof || batch.length === 0) return { more: imp.status === "validating" || imp.status === "importing" };
    }
    return { more: true };
  } catch (err) {
    if (err instanceof CsvError) {
      await fail(ctx, tenantId, importId, err.message);
      return { more: false };
    }
    throw err;
  }
}

async function commitBatch(
  ctx: Ctx,
  imp: Imp,
  batch: { index: number; fields: string[]; end: number }[],
  columns: { index: number; target: string }[],
  customTypes: Map<string, "text" | "number" | "date" | "boolean" | "url">,
  eof: boolean,
): Promise<{ imp: Imp; committed: boolean }> {
  return runInTx(ctx.db, { tenantId: imp.tenantId }, async (tx) => {
    // Re-read under lock: a cancel, or a second consumer holding a stale message, loses the race cleanly.
    const [cur] = await tx.select().from(leadImports).where(eq(leadImports.id, imp.id)).for("update");
    if (
      !cur ||
      cur.byteOffset !== imp.byteOffset ||
      cur.phase !== imp.phase ||
      (cur.status !== "validating" && cur.status !== "importing")
    ) {
      return { imp: cur ?? imp, committed: false };
    }

    const errors: ErrRow[] = [];
    const good: { row: number; lead: ImportedLead }[] = [];
    const seen = new Set<string>();
    for (const r of batch) {
      const res = rowToLead(r.fields, columns, customTypes);
      if ("error" in res) errors.push({ rowNumber: r.index, kind: "invalid", reason: res.error, email: res.email ?? null });
      else if (seen.has(res.lead.email))
        errors.push({ rowNumber: r.index, kind: "duplicate", reason: "appears earlier in the file", email: res.lead.email });
      else {
        seen.add(res.lead.email);
        good.push({ row: r.index, lead: res.lead });
      }
    }
    const patch: Partial<Imp> = {
      byteOffset: batch.at(-1)?.end ?? cur.byteOffset,
      rowsRead: cur.rowsRead + batch.length,
      updatedAt: new Date(),
    };

    if (cur.phase === "validate") {
      patch.rowsFailed = cur.rowsFailed + errors.filter((e) => e.kind === "invalid").length;
      await insertErrors(
        tx,
        cur,
        errors.filter((e) => e.kind === "invalid"),
      );
      if (eof) Object.assign(patch, endOfValidation(cur, patch));
    } else {
      const suppressed = await suppressedAmong(
        tx,
        cur.tenantId,
        cur.workspaceId,
        good.map((g) => g.lead.email),
      );
      const toWrite = good.filter((g) => !suppressed.has(g.lead.email));
      for (const g of good)
        if (suppressed.has(g.lead.email))
          errors.push({
            rowNumber: g.row,
            kind: "suppressed",
            reason: `on the suppression list (${suppressed.get(g.lead.email)})`,
            email: g.lead.email,
          });
      const { inserted, updated, ids } = await writeLeads(
        tx,
        cur,
        toWrite.map((g) => g.lead),
      );
      if (cur.options?.listId && ids.length) {
        await tx
          .insert(leadListMembers)
          .values(ids.map((leadId) => ({ tenantId: cur.tenantId, listId: cur.options!.listId!, leadId })))
          .onConflictDoNothing();
      }
      await insertErrors(tx, cur, errors);
      patch.rowsImported = cur.rowsImported + inserted;
      patch.rowsUpdated = cur.rowsUpdated + updated;
      patch.rowsSkipped = cur.rowsSkipped + (toWrite.length - inserted - updated) + errors.filter((e) => e.kind === "duplicate").length;
      patch.rowsSuppressed = cur.rowsSuppressed + errors.filter((e) => e.kind === "suppressed").length;
      patch.rowsFailed = cur.rowsFailed + errors.filter((e) => e.kind === "invalid").length;
      if (eof) Object.assign(patch, { status: "completed", finishedAt: new Date() });
    }
    const [next] = await tx.update(leadImports).set(patch).where(eq(leadImports.id, cur.id)).returning();
    return { imp: next!, committed: true };
  });
}

/** After the validation pass: refuse a file with bad rows unless the user chose "import valid rows". */
function endOfValidation(cur: Imp, patch: Partial<Imp>): Partial<Imp> {
  const failed = patch.rowsFailed ?? cur.rowsFailed;
  const total = patch.rowsRead ?? cur.rowsRead;
  if (total === 0) return { status: "failed", error: "The file has a header but no rows.", finishedAt: new Date() };
  if (failed > 0 && !cur.options?.importValidRows) {
    return {
      status: "failed",
      error: `${failed} of ${total} rows have problems, so nothing was imported. Download the report, fix the rows or choose "import valid rows", and try again.`,
      finishedAt: new Date(),
    };
  }
  // Second pass from the top: counters restart, failures found so far stay in the report.
  return { status: "importing", phase: "import", totalRows: total, byteOffset: 0, rowsRead: 0, rowsFailed: 0, startedAt: new Date() };
}

async function insertErrors(tx: Tx, imp: Imp, errors: ErrRow[]) {
  if (!errors.length) return;
  await tx
    .insert(leadImportErrors)
    .values(
      errors.map((e) => ({
        tenantId: imp.tenantId,
        importId: imp.id,
        rowNumber: e.rowNumber,
        kind: e.kind,
        reason: e.reason,
        email: e.email,
      })),
    )
    .onConflictDoNothing();
}

/** One multi-row INSERT … ON CONFLICT; `xmax = 0` tells a fresh insert from an update. */
async function writeLeads(tx: Tx, imp: Imp, rows: ImportedLead[]) {
  if (!rows.length) return { inserted: 0, updated: 0, ids: [] as string[] };
  const values = rows.map((l) => ({
    ...l,
    id: newId("led"),
    tenantId: imp.tenantId,
    workspaceId: imp.workspaceId,
    source: `import:${imp.filename}`.slice(0, 100),
  }));
  const base = tx.insert(leads).values(values);
  const returning = { id: leads.id, inserted: sql<boolean>`(xmax = 0)` };
  const res =
    imp.options?.duplicates === "update"
      ? await base
          .onConflictDoUpdate({
            target: [leads.tenantId, leads.email],
            // Only cells the file actually has overwrite; empty cells keep what the lead had.
            set: {
              ...Object.fromEntries(
                [
                  "first_name",
                  "last_name",
                  "company",
                  "title",
                  "phone",
                  "website",
                  "city",
                  "country",
                  "timezone",
                  "consent_basis",
                  "consent_source",
                  "consent_collected_at",
                ].map((c) => [toCamel(c), sql.raw(`coalesce(excluded.${c}, leads.${c})`)]),
              ),
              attributes: sql`leads.attributes || excluded.attributes`,
              updatedAt: sql`now()`,
            },
            setWhere: sql`leads.workspace_id = excluded.workspace_id`,
          })
          .returning(returning)
      : imp.options?.listId
        ? await base.onConflictDoNothing({ target: [leads.tenantId, leads.email] }).returning(returning)
        : null;
  if (res === null) {
    // Skip mode without a list needs only the count: no RETURNING, so 3,000 rows do not travel back.
    const r = await base.onConflictDoNothing({ target: [leads.tenantId, leads.email] });
    return { inserted: r.rowCount ?? 0, updated: 0, ids: [] as string[] };
  }
  const inserted = res.filter((r) => r.inserted).length;
  return { inserted, updated: res.length - inserted, ids: res.map((r) => r.id) };
}

const toCamel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

async function fail(ctx: Ctx, tenantId: string, importId: string, message: string) {
  await runInTx(ctx.db, { tenantId }, (tx) =>
    tx
      .update(leadImports)
      .set({ status: "failed", error: message, finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(leadImports.id, importId), sql`${leadImports.status} in ('validating','importing')`)),
  );
}
