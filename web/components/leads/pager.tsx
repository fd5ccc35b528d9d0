import type * as React from "react";
import { Link, useSubmit } from "react-router";
import { Button } from "~/components/ui/button";

/**
 * Keyset paging in the URL: `cursor` is where this page starts, `prev` the cursors of the pages
 * before it (a short stack, "start" for page 1) and `page` the page number, so Previous, Next and
 * reloads work without OFFSET (page 2,000 of 100k rows costs what page 1 does).
 */
/** Cursors are opaque tokens from the verbs (base64 today); anything else is dropped, not an error. */
const CURSOR = /^[A-Za-z0-9+/=_|:. -]{1,200}$/;
const MAX_STACK = 25;

export interface Paging {
  cursor?: string;
  prev: string[];
  page: number;
}

export function readPaging(url: URL): Paging {
  const c = url.searchParams.get("cursor");
  const cursor = c && CURSOR.test(c) ? c : undefined;
  const prev = cursor ? url.searchParams.getAll("prev").filter((p) => p === "start" || CURSOR.test(p)) : [];
  const n = Number(url.searchParams.get("page"));
  const page = cursor && Number.isInteger(n) && n > 1 && n < 1e7 ? n : 1;
  return { cursor, prev: prev.slice(-MAX_STACK), page };
}

function href(filters: URLSearchParams, extra: { cursor?: string; prev?: string[]; page?: number }) {
  const sp = new URLSearchParams(filters);
  if (extra.cursor) {
    sp.set("cursor", extra.cursor);
    for (const p of extra.prev ?? []) sp.append("prev", p);
    if (extra.page && extra.page > 1) sp.set("page", String(extra.page));
  }
  const s = sp.toString();
  return s ? `?${s}` : "?";
}

export function KeysetPager({
  filters,
  paging,
  nextCursor,
  shown,
  pageSize,
  noun,
  label,
}: {
  /** The filters to keep (without cursor, prev and page). */
  filters: URLSearchParams;
  paging: Paging;
  nextCursor: string | null;
  shown: number;
  pageSize: number;
  noun: string;
  label: string;
}) {
  const { cursor, prev, page } = paging;
  if (!cursor && !nextCursor) return null;
  const top = prev.at(-1);
  const previousHref = top ? href(filters, { cursor: top === "start" ? undefined : top, prev: prev.slice(0, -1), page: page - 1 }) : null;
  const nextHref = nextCursor
    ? href(filters, { cursor: nextCursor, prev: [...prev, cursor ?? "start"].slice(-MAX_STACK), page: page + 1 })
    : null;
  const from = (page - 1) * pageSize + 1;
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-3 pb-1">
      <p className="text-sm text-slate-600">
        Page {page} · {noun} {from.toLocaleString("en-US")}–{(from + shown - 1).toLocaleString("en-US")}
      </p>
      <div className="flex items-center gap-2">
        {cursor ? (
          <Button asChild variant="ghost" size="sm">
            <Link to={href(filters, {})}>First page</Link>
          </Button>
        ) : null}
        {previousHref ? (
          <Button asChild variant="secondary" size="sm">
            <Link to={previousHref} rel="prev">
              ← Previous
            </Link>
          </Button>
        ) : null}
        {nextHref ? (
          <Button asChild variant="secondary" size="sm">
            <Link to={nextHref} rel="next">
              Next page →
            </Link>
          </Button>
        ) : (
          <span className="text-sm text-slate-500">Last page</span>
        )}
      </div>
    </nav>
  );
}

/** Submits only the filters that are set, so URLs stay short and shareable (without JS the plain GET form still works). */
export function useCleanGetSubmit() {
  const submit = useSubmit();
  return (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const sp = new URLSearchParams();
    for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === "string" && v.trim() !== "") sp.append(k, v.trim());
    void submit(sp, { method: "get", action: e.currentTarget.getAttribute("action") ?? undefined });
  };
}
