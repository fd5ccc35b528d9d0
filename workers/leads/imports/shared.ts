import type { Producer } from "../../queues/enqueue.ts";
import type { leadImports } from "../tables.ts";

/** What the import verbs need from the environment: the R2 bucket and the import queue. */
export interface ImportBindings {
  bucket: R2Bucket;
  queue: Producer;
}

type Row = typeof leadImports.$inferSelect;

/** Progress as the dashboard shows it: counts, percent, rows per second and an ETA. */
export function importDto(r: Row) {
  const elapsed = r.startedAt ? ((r.finishedAt ?? new Date()).getTime() - r.startedAt.getTime()) / 1000 : 0;
  // Validation reads the file once (first 30 %), the import pass reads it again (the rest).
  const fileShare = r.sizeBytes ? Math.min(1, r.byteOffset / r.sizeBytes) : 0;
  const percent =
    r.status === "completed"
      ? 100
      : r.phase === "import"
        ? 30 + Math.round(fileShare * 70)
        : r.phase === "validate"
          ? Math.round(fileShare * 30)
          : 0;
  const rate = elapsed > 0 ? Math.round((r.rowsRead / elapsed) * 10) / 10 : 0;
  const remaining = r.totalRows != null && r.phase === "import" ? Math.max(0, r.totalRows - r.rowsRead) : null;
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    filename: r.filename,
    sizeBytes: r.sizeBytes,
    status: r.status,
    phase: r.phase,
    headers: r.headers ?? [],
    mapping: r.mapping,
    options: r.options,
    totalRows: r.totalRows,
    rowsRead: r.rowsRead,
    rowsImported: r.rowsImported,
    rowsUpdated: r.rowsUpdated,
    rowsSkipped: r.rowsSkipped,
    rowsFailed: r.rowsFailed,
    rowsSuppressed: r.rowsSuppressed,
    percent,
    rowsPerSecond: rate,
    etaSeconds: remaining != null && rate > 0 ? Math.ceil(remaining / rate) : null,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}
