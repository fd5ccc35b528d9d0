import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * Keyset cursors over (created_at desc, id desc). The timestamp travels as Postgres' own text form,
 * with microseconds: a JS Date keeps only milliseconds, and rows written in one transaction share
 * now() to the microsecond, so a millisecond cursor silently skips rows.
 */
export const cursorTs = (col: PgColumn) => sql<string>`${col}::text`;

export function encodeCursor(ts: string, id: string): string {
  return btoa(`${ts}|${id}`).replace(/=+$/, "");
}

/** `(created_at, id) < (cursor)`, or undefined for the first page / an unreadable cursor. */
export function afterCursor(createdAt: PgColumn, id: PgColumn, cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  let decoded: string;
  try {
    decoded = atob(cursor);
  } catch {
    return sql`false`;
  }
  const i = decoded.lastIndexOf("|");
  const ts = decoded.slice(0, i);
  const key = decoded.slice(i + 1);
  if (i <= 0 || !/^\d{4}-\d{2}-\d{2}[ T][\d:.]+([+-]\d{2}(:?\d{2})?|Z)?$/.test(ts)) return sql`false`;
  return sql`(${createdAt}, ${id}) < (${ts}::timestamptz, ${key})`;
}
