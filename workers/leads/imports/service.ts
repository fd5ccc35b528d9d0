import { and, asc, desc, eq, sql } from "drizzle-orm";
import { writeAudit } from "../../audit/write-audit.ts";
import { requirePermission } from "../../auth/permissions.ts";
import { type Ctx, withTx } from "../../platform/context.ts";
import { AppError } from "../../platform/errors.ts";
import { newId } from "../../platform/ids.ts";
import { enqueue } from "../../queues/enqueue.ts";
import { requireWorkspaceRole } from "../../tenants/access.ts";
import { bomLength, CsvError, CsvParser, sniffDelimiter } from "../csv/parse.ts";
import { csvLine } from "../csv/write.ts";
import { leadFields, leadImportErrors, leadImports, leadLists } from "../tables.ts";
import { autoMapping, mappingProblems } from "./mapping.ts";
import { type ImportBindings, importDto } from "./shared.ts";

export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;
const PREVIEW_BYTES = 256 * 1024;

/**
 * Stores the uploaded file in R2 (streamed, never buffered whole) and answers with the detected
 * delimiter, headers, a preview of the first rows and a suggested mapping.
 */
export async function createImport(
  ctx: Ctx,
  b: ImportBindings,
  input: { workspaceId: string; filename: string; body: ReadableStream<Uint8Array>; sizeBytes: number },
) {
  requirePermission(ctx, "leads:write");
  if (!input.sizeBytes) throw new AppError("BAD_REQUEST", "The file is empty.");
  if (input.sizeBytes > MAX_IMPORT_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", "Files up to 200 MB can be imported; split larger ones.");
  const tenantId = ctx.tenant!.id;
  await withTx(ctx, (tx) => requireWorkspaceRole(tx, ctx, input.workspaceId, "member"));
  const id = newId("imp");
  const objectKey = `imports/${tenantId}/${id}.csv`;
  await b.bucket.put(objectKey, input.body.pipeThrough(new FixedLengthStream(input.sizeBytes)), {
    httpMetadata: { contentType: "text/csv" },
  });

  const head = await b.bucket.get(objectKey, { range: { offset: 0, length: PREVIEW_BYTES } });
  const bytes = new Uint8Array(await head!.arrayBuffer());
  let preview: { delimiter: string; headers: string[]; rows: string[][] };
  try {
    const bom = bomLength(bytes);
    const text = new TextDecoder().decode(bytes.subarray(bom));
    const delimiter = sniffDelimiter(text);
    const rows = new CsvParser({ delimiter, startOffset: bom }).push(bytes.subarray(bom), bytes.length === input.sizeBytes);
    if (!rows.length) throw new CsvError("The file has no rows.", 1);
    const headers = rows[0]!.fields.map((h, i) => h.trim() || `Column ${i + 1}`);
    if (new Set(headers).size !== headers.length) throw new CsvError("Two columns have the same header. Rename one and upload again.", 1);
    preview = { delimiter, headers, rows: rows.slice(1, 6).map((r) => r.fields) };
  } catch (err) {
    await b.bucket.delete(objectKey);
    if (err instanceof CsvError) throw new AppError("UNPROCESSABLE", err.message);
    throw err;
  }

  return withTx(ctx, async (tx) => {
    const customKeys = (await tx.select({ key: leadFields.key }).from(leadFields).where(eq(leadFields.tenantId, tenantId))).map(
      (r) => r.key,
    );
    const [row] = await tx
      .insert(leadImports)
      .values({
        id,
        tenantId,
        workspaceId: input.workspaceId,
        objectKey,
        filename: input.filename.slice(0, 255),
        sizeBytes: input.sizeBytes,
        headers: preview.headers,
        options: { duplicates: "skip", importValidRows: false, delimiter: preview.delimiter },
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    await writeAudit(tx, ctx, {
      action: "lead_import.upload",
      targetType: "lead_import",
      targetId: id,
      summary: { filename: input.filename, bytes: input.sizeBytes },
    });
    return { ...importDto(row!), preview: preview.rows, suggestedMapping: autoMapping(preview.headers, customKeys) };
  });
}

/** Confirms mapping and options and starts the background job (validate pass, then import pass). */
export async function startImport(
  ctx: Ctx,
  b: ImportBindings,
  importId: string,
  input: { mapping: Record<string, string>; duplicates: "skip" | "update"; listId?: string | null; importValidRows: boolean },
) {
  requirePermission(ctx, "leads:write");
  const tenantId = ctx.tenant!.id;
  const dto = await withTx(ctx, async (tx) => {
    const [imp] = await tx
      .select()
      .from(leadImports)
      .where(and(eq(leadImports.id, importId), eq(leadImports.tenantId, tenantId)));
    if (!imp) throw new AppError("NOT_FOUND", "Import not found.");
    await requireWorkspaceRole(tx, ctx, imp.workspaceId, "member");
    if (imp.status !== "uploaded") throw new AppError("CONFLICT", "This import has already started.");
    const customKeys = (await tx.select({ key: leadFields.key }).from(leadFields).where(eq(leadFields.tenantId, tenantId))).map(
      (r) => r.key,
    );
    const problems = mappingProblems(input.mapping, imp.headers ?? [], customKeys);
    if (problems.length)
      throw new AppError("BAD_REQUEST", problems.join(" "), { issues: problems.map((m) => ({ path: "mapping", message: m })) });
    if (input.listId) {
      const [l] = await tx
        .select()
        .from(leadLists)
        .where(and(eq(leadLists.id, input.listId), eq(leadLists.tenantId, tenantId)));
      if (!l || l.workspaceId !== imp.workspaceId) throw new AppError("BAD_REQUEST", "Choose a list from the import's workspace.");
    }
    const [row] = await tx
      .update(leadImports)
      .set({
        status: "validating",
        phase: "validate",
        mapping: input.mapping,
        options: { ...imp.options!, duplicates: input.duplicates, listId: input.listId ?? null, importValidRows: input.importValidRows },
        startedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(leadImports.id, importId))
      .returning();
    await writeAudit(tx, ctx, {
      action: "lead_import.start",
      targetType: "lead_import",
      targetId: importId,
      summary: { duplicates: input.duplicates, importValidRows: input.importValidRows },
    });
    return importDto(row!);
  });
  await enqueue(b.queue, { kind: "lead_import.step", tenantId, importId });
  return dto;
}

export async function getImport(ctx: Ctx, importId: string) {
  requirePermission(ctx, "leads:read");
  return withTx(ctx, async (tx) => {
    const [imp] = await tx
      .select()
      .from(leadImports)
      .where(and(eq(leadImports.id, importId), eq(leadImports.tenantId, ctx.tenant!.id)));
    if (!imp) throw new AppError("NOT_FOUND", "Import not found.");
    await requireWorkspaceRole(tx, ctx, imp.workspaceId, "viewer").catch(() => {
      throw new AppError("NOT_FOUND", "Import not found.");
    });
    return importDto(imp);
  });
}

export async function listImports(ctx: Ctx, workspaceId?: string) {
  requirePermission(ctx, "leads:read");
  const rows = await withTx(ctx, (tx) =>
    tx
      .select()
      .from(leadImports)
      .where(and(eq(leadImports.tenantId, ctx.tenant!.id), workspaceId ? eq(leadImports.workspaceId, workspaceId) : undefined))
      .orderBy(desc(leadImports.createdAt))
      .limit(50),
  );
  return rows.map(importDto);
}

export async function cancelImport(ctx: Ctx, importId: string) {
  requirePermission(ctx, "leads:write");
  await getImport(ctx, importId);
  return withTx(ctx, async (tx) => {
    const [row] = await tx
      .update(leadImports)
      .set({ status: "cancelled", finishedAt: new Date(), updatedAt: new Date() })
      .where(
        and(
          eq(leadImports.id, importId),
          eq(leadImports.tenantId, ctx.tenant!.id),
          sql`${leadImports.status} in ('uploaded','validating','importing')`,
        ),
      )
      .returning();
    if (!row) throw new AppError("CONFLICT", "Only an import that has not finished can be cancelled.");
    await writeAudit(tx, ctx, { action: "lead_import.cancel", targetType: "lead_import", targetId: importId });
    return importDto(row);
  });
}

/** The downloadable error report: row number, e-mail, kind, reason. */
export async function importErrorReport(ctx: Ctx, importId: string): Promise<string> {
  await getImport(ctx, importId);
  const rows = await withTx(ctx, (tx) =>
    tx
      .select()
      .from(leadImportErrors)
      .where(and(eq(leadImportErrors.importId, importId), eq(leadImportErrors.tenantId, ctx.tenant!.id)))
      .orderBy(asc(leadImportErrors.rowNumber)),
  );
  return csvLine(["row", "email", "problem", "reason"]) + rows.map((r) => csvLine([r.rowNumber, r.email, r.kind, r.reason])).join("");
}
