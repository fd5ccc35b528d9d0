import { z } from "zod";
import { FILTER_KEYS, type InboxFilters, MAX_PAGES, PAGE_SIZE } from "~/components/inbox/filters";
import { orHttp } from "~/lib/forms.server";
import { can } from "../../../workers/auth/permissions.ts";
import { listCampaigns } from "../../../workers/campaigns/service.ts";
import { listThreads } from "../../../workers/inbox/service.ts";
import { INBOX_CATEGORIES } from "../../../workers/inbox/tables.ts";
import { listMailboxes } from "../../../workers/mailboxes/service.ts";
import type { RequestScope } from "../../../workers/platform/context.ts";
import { listMembers } from "../../../workers/tenants/members.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";

const Id = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/)
  .optional()
  .catch(undefined);

/** Anything malformed in the URL is dropped, not an error page. */
const Filters = z.object({
  workspaceId: Id,
  campaignId: Id,
  mailboxId: Id,
  status: z.enum(["open", "archived"]).optional().catch(undefined),
  category: z.enum(INBOX_CATEGORIES).optional().catch(undefined),
  unread: z.literal("1").optional().catch(undefined),
}) satisfies z.ZodType<InboxFilters>;

function readInboxUrl(url: URL): { filters: InboxFilters; pages: number } {
  const filters = Filters.parse(Object.fromEntries(FILTER_KEYS.map((k) => [k, url.searchParams.get(k) || undefined])));
  const n = Number(url.searchParams.get("pages"));
  return { filters, pages: Number.isInteger(n) && n > 1 ? Math.min(n, MAX_PAGES) : 1 };
}

/**
 * The thread list both inbox routes show (the list page, and the left pane beside a conversation):
 * filters from the URL, plus `pages` pages of threads. "Load more" adds a page to the URL and the
 * loader follows the keyset cursors page by page, so the list survives reloads, the 15 s refresh
 * and moving between conversations; `pages` is capped, past it the filters narrow the list.
 */
export async function loadInboxList(scope: RequestScope, url: URL) {
  const { filters: asked, pages } = readInboxUrl(url);
  const [workspaces, campaigns, mailboxes, members] = await Promise.all([
    orHttp(listWorkspaces(scope)),
    orHttp(listCampaigns(scope)),
    orHttp(listMailboxes(scope)),
    can(scope, "members:read") ? orHttp(listMembers(scope)) : [],
  ]);
  // Options only from the workspaces this user can see (members see the ones they were added to);
  // a stale or foreign workspace in the URL is dropped rather than turned into an error page.
  const visible = new Set(workspaces.map((w) => w.id));
  const filters = asked.workspaceId && !visible.has(asked.workspaceId) ? { ...asked, workspaceId: undefined } : asked;
  const items: Awaited<ReturnType<typeof listThreads>>["items"] = [];
  let cursor: string | undefined;
  let nextCursor: string | null = null;
  for (let page = 0; page < pages; page++) {
    const res = await orHttp(listThreads(scope, { ...query(filters), limit: PAGE_SIZE, cursor }));
    items.push(...res.items);
    nextCursor = res.nextCursor;
    if (!nextCursor) break;
    cursor = nextCursor;
  }
  return {
    filters,
    pages,
    items,
    hasMore: nextCursor !== null,
    capped: nextCursor !== null && pages >= MAX_PAGES,
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
    campaigns: campaigns.filter((c) => visible.has(c.workspaceId)).map((c) => ({ id: c.id, name: c.name, workspaceId: c.workspaceId })),
    mailboxes: mailboxes
      .filter((m) => visible.has(m.workspaceId))
      .map((m) => ({ id: m.id, email: m.email, workspaceId: m.workspaceId, status: m.status })),
    members: members.map((m) => ({ userId: m.userId, name: m.name, email: m.email })),
    canWrite: can(scope, "campaigns:write"),
  };
}

export type InboxList = Awaited<ReturnType<typeof loadInboxList>>;

function query(f: InboxFilters) {
  return {
    workspaceId: f.workspaceId,
    campaignId: f.campaignId,
    mailboxId: f.mailboxId,
    status: f.status ?? "open",
    category: f.category,
    unread: f.unread ? true : undefined,
  };
}
