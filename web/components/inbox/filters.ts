import { z } from "zod";
import { INBOX_CATEGORIES } from "../../../workers/inbox/tables.ts";

/** Threads per "Load more"; MAX_PAGES of them at most (500 conversations), then the filters narrow it. */
export const PAGE_SIZE = 50;
export const MAX_PAGES = 10;

const Id = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/)
  .optional()
  .catch(undefined);

/** The inbox filters as they appear in the URL; anything malformed is dropped, not an error page. */
export const InboxFilters = z.object({
  workspaceId: Id,
  campaignId: Id,
  mailboxId: Id,
  status: z.enum(["open", "archived"]).optional().catch(undefined),
  category: z.enum(INBOX_CATEGORIES).optional().catch(undefined),
  unread: z.literal("1").optional().catch(undefined),
});
export type InboxFilters = z.infer<typeof InboxFilters>;
export const FILTER_KEYS = ["workspaceId", "campaignId", "mailboxId", "status", "category", "unread"] as const;

export function readInboxUrl(url: URL): { filters: InboxFilters; pages: number } {
  const filters = InboxFilters.parse(Object.fromEntries(FILTER_KEYS.map((k) => [k, url.searchParams.get(k) || undefined])));
  const n = Number(url.searchParams.get("pages"));
  return { filters, pages: Number.isInteger(n) && n > 1 ? Math.min(n, MAX_PAGES) : 1 };
}

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
