import type { InboxCategory } from "./category";

/** Threads per "Load more"; MAX_PAGES of them at most (500 conversations), then the filters narrow it. */
export const PAGE_SIZE = 50;
export const MAX_PAGES = 10;

/** The inbox filters as they appear in the URL (parsed on the server: web/routes/inbox/inbox.server.ts). */
export interface InboxFilters {
  workspaceId?: string;
  campaignId?: string;
  mailboxId?: string;
  status?: "open" | "archived";
  category?: InboxCategory;
  unread?: "1";
}
export const FILTER_KEYS = ["workspaceId", "campaignId", "mailboxId", "status", "category", "unread"] as const;

/** Filters (and optionally the loaded page count) as a query string, "?…" or "". */
export function inboxSearch(filters: InboxFilters, pages = 1, overrides: Partial<InboxFilters> = {}): string {
  const sp = new URLSearchParams();
  const f = { ...filters, ...overrides };
  for (const k of FILTER_KEYS) if (f[k]) sp.set(k, f[k]!);
  if (pages > 1) sp.set("pages", String(pages));
  const s = sp.toString();
  return s ? `?${s}` : "";
}

/** Narrowing filters (not the open/archived switch): they decide between "nothing yet" and "nothing matches". */
export const isFiltered = (f: InboxFilters) => Boolean(f.workspaceId || f.campaignId || f.mailboxId || f.category || f.unread);
