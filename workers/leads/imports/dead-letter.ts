import { eq } from "drizzle-orm";
import type { Ctx } from "../../platform/context.ts";
import { runInTx } from "../../platform/db.ts";
import { leadImports } from "../tables.ts";

/**
 * An import step whose message failed every retry (it reached `pm-imports-dlq`): the import would
 * otherwise stay `validating`/`importing` for ever, so it becomes `failed` with a reason the import
 * page shows. Batches committed before that stay (each batch commits on its own). Idempotent: an
 * import that already ended, or that a cancel stopped, is left alone. Returns whether it failed one.
 */
export async function failDeadLetteredImport(ctx: Ctx, tenantId: string, importId: string): Promise<boolean> {
  return runInTx(ctx.db, { tenantId, userId: null }, async (tx) => {
    // Locked like a step's commit, so a step still running either commits first or sees `failed`.
    const [imp] = await tx.select().from(leadImports).where(eq(leadImports.id, importId)).for("update");
    if (!imp || (imp.status !== "validating" && imp.status !== "importing")) return false;
    const written = imp.rowsImported + imp.rowsUpdated;
    const kept = written
      ? `Rows written before it stopped were kept (${imp.rowsImported} new, ${imp.rowsUpdated} updated).`
      : "Nothing was imported.";
    const now = new Date();
    await tx
      .update(leadImports)
      .set({
        status: "failed",
        error: `The import stopped because processing the file kept failing, even after several retries. ${kept} Try again; if it fails again, contact support.`,
        finishedAt: now,
        updatedAt: now,
      })
      .where(eq(leadImports.id, importId));
    return true;
  });
}
