import type * as React from "react";
import { useEffect, useRef, useState } from "react";
import { Form, Link, useLocation, useNavigation } from "react-router";
import { useAutoRefresh } from "~/components/campaigns/refresh";
import { CATEGORY_OPTIONS, CategoryBadge } from "~/components/inbox/category";
import { inboxSearch, isFiltered, PAGE_SIZE } from "~/components/inbox/filters";
import { plural } from "~/components/leads/format";
import { useCleanGetSubmit } from "~/components/leads/pager";
import { EmptyState } from "~/components/ui/alert";
import { Button, Spinner } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Checkbox } from "~/components/ui/checkbox";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select";
import { RelativeTime } from "~/components/ui/time";
import { cn } from "~/lib/cn";
import type { InboxList } from "~/routes/inbox/inbox.server";

/** New replies show up without a reload (SPEC: replies land in the inbox within seconds of arriving). */
const REFRESH_MS = 15_000;

/**
 * The inbox frame both routes share: filters across the top, the conversation list on the left and
 * `children` (the open conversation, or a hint to pick one) on the right. Below `lg` only one pane
 * shows: the list on /inbox, the conversation on /inbox/:id.
 */
export function InboxLayout({ list, selectedId, children }: { list: InboxList; selectedId: string | null; children: React.ReactNode }) {
  const refreshing = useAutoRefresh(REFRESH_MS);
  const empty = list.items.length === 0;
  // With nothing to list and nothing open, the empty state gets the full width.
  const single = empty && !selectedId;
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      {/* Beside an open conversation on small screens the heading stays for screen readers only. */}
      <div className={cn(selectedId && "sr-only lg:not-sr-only")}>
        <PageHeader
          title="Inbox"
          description="Every reply to your campaigns, from all mailboxes, in one place. Triage, assign and answer them here."
        />
      </div>
      <div className={cn(selectedId && "hidden lg:block")}>
        <FilterBar list={list} />
      </div>
      <div className={cn("grid items-start gap-6", !single && "lg:grid-cols-[minmax(20rem,26rem)_minmax(0,1fr)]")}>
        <div className={cn(selectedId && "hidden lg:block", "lg:sticky lg:top-6")}>
          <ThreadList list={list} selectedId={selectedId} refreshing={refreshing} />
        </div>
        {single ? null : <div className={cn("min-w-0", !selectedId && "hidden lg:block")}>{children}</div>}
      </div>
    </div>
  );
}

function FilterBar({ list }: { list: InboxList }) {
  const nav = useNavigation();
  const onSubmit = useCleanGetSubmit();
  const f = list.filters;
  const busy = nav.state === "loading" && nav.location.pathname === "/inbox" && nav.location.search !== "";
  const multi = list.workspaces.length > 1;
  const wsName = new Map(list.workspaces.map((w) => [w.id, w.name]));
  const inWs = <T extends { workspaceId: string }>(xs: T[]) => xs.filter((x) => !f.workspaceId || x.workspaceId === f.workspaceId);
  const suffix = (workspaceId: string) => (multi && !f.workspaceId ? ` (${wsName.get(workspaceId) ?? "?"})` : "");
  return (
    <Form
      method="get"
      action="/inbox"
      role="search"
      aria-label="Filter conversations"
      className="flex flex-wrap items-end gap-3"
      // Re-mount the inputs when the URL changes (Back button, "Clear"), so they show what is applied.
      key={inboxSearch(f)}
      onSubmit={onSubmit}
    >
      {f.status ? <input type="hidden" name="status" value={f.status} /> : null}
      {multi ? (
        <SelectField
          label="Workspace"
          name="workspaceId"
          defaultValue={f.workspaceId ?? ""}
          options={[{ value: "", label: "All workspaces" }, ...list.workspaces.map((w) => ({ value: w.id, label: w.name }))]}
          className="w-44"
        />
      ) : null}
      <SelectField
        label="Campaign"
        name="campaignId"
        defaultValue={f.campaignId ?? ""}
        options={[
          { value: "", label: "All campaigns" },
          ...inWs(list.campaigns).map((c) => ({ value: c.id, label: `${c.name}${suffix(c.workspaceId)}` })),
        ]}
        className="w-52"
      />
      <SelectField
        label="Mailbox"
        name="mailboxId"
        defaultValue={f.mailboxId ?? ""}
        options={[
          { value: "", label: "All mailboxes" },
          ...inWs(list.mailboxes).map((m) => ({ value: m.id, label: `${m.email}${suffix(m.workspaceId)}` })),
        ]}
        className="w-56"
      />
      <SelectField
        label="Category"
        name="category"
        defaultValue={f.category ?? ""}
        options={[{ value: "", label: "Any category" }, ...CATEGORY_OPTIONS]}
        className="w-48"
      />
      <Checkbox label="Unread only" name="unread" value="1" defaultChecked={!!f.unread} className="h-10 items-center" />
      <div className="flex items-center gap-2">
        <Button type="submit" variant="secondary" busy={busy}>
          Apply filters
        </Button>
        {isFiltered(f) ? (
          <Button asChild variant="ghost">
            <Link to={`/inbox${inboxSearch({ status: f.status })}`}>Clear</Link>
          </Button>
        ) : null}
      </div>
    </Form>
  );
}

function StatusTabs({ list }: { list: InboxList }) {
  const current = list.filters.status ?? "open";
  const tabs = [
    { value: "open", label: "Open" },
    { value: "archived", label: "Archived" },
  ] as const;
  return (
    <nav aria-label="Conversation status" className="flex gap-1 rounded-md bg-slate-100 p-0.5">
      {tabs.map((t) => (
        <Link
          key={t.value}
          to={`/inbox${inboxSearch(list.filters, 1, { status: t.value === "open" ? undefined : t.value })}`}
          aria-current={current === t.value ? "true" : undefined}
          className={cn(
            "rounded px-3 py-1 text-sm font-medium",
            current === t.value ? "bg-white text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900",
          )}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}

function ThreadList({ list, selectedId, refreshing }: { list: InboxList; selectedId: string | null; refreshing: boolean }) {
  const location = useLocation();
  const nav = useNavigation();
  const ref = useRef<HTMLUListElement>(null);
  const f = list.filters;
  const search = inboxSearch(f, list.pages);
  const memberName = new Map(list.members.map((m) => [m.userId, m.name || m.email]));
  const campaignName = new Map(list.campaigns.map((c) => [c.id, c.name]));
  const moreHref = `${location.pathname}${inboxSearch(f, list.pages + 1)}`;
  const loadingMore = nav.state === "loading" && nav.location.pathname === location.pathname && nav.location.search.includes("pages=");
  const unread = list.items.filter((t) => t.unread).length;

  // After "Load more", move focus to the first newly loaded conversation (keyboard users stay in place).
  const shownPages = useRef(list.pages);
  useEffect(() => {
    if (list.pages > shownPages.current) {
      ref.current?.querySelectorAll<HTMLAnchorElement>("a[data-thread]")[shownPages.current * PAGE_SIZE]?.focus();
    }
    shownPages.current = list.pages;
  }, [list.pages]);

  return (
    <Card aria-label="Conversations" className="flex flex-col lg:max-h-[calc(100vh-3rem)]">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-4 py-3">
        <StatusTabs list={list} />
        <p className="flex items-center gap-1.5 text-xs text-slate-500">
          {refreshing ? <Spinner className="size-3" /> : null}
          <span>{list.items.length ? `${plural(list.items.length, "conversation")}${unread ? `, ${unread} unread` : ""}` : null}</span>
        </p>
        <NewReplyAnnouncer items={list.items} />
      </header>
      {list.items.length === 0 ? (
        <div className="p-4">
          <ListEmpty list={list} />
        </div>
      ) : (
        <div className="min-h-0 overflow-y-auto">
          <ul ref={ref} className="divide-y divide-slate-100">
            {list.items.map((t) => {
              const selected = t.id === selectedId;
              const assignee = t.assignedTo ? (memberName.get(t.assignedTo) ?? "a former member") : null;
              return (
                <li key={t.id}>
                  <Link
                    data-thread=""
                    to={`/inbox/${t.id}${search}`}
                    aria-current={selected ? "page" : undefined}
                    preventScrollReset
                    className={cn(
                      "relative block px-4 py-3 outline-none hover:bg-slate-50 focus-visible:bg-slate-50 focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500",
                      selected &&
                        "bg-brand-50 hover:bg-brand-50 before:absolute before:inset-y-0 before:left-0 before:w-1 before:bg-brand-600",
                    )}
                  >
                    <span className="flex items-center gap-2">
                      <span
                        aria-hidden="true"
                        className={cn("size-2 shrink-0 rounded-full", t.unread ? "bg-brand-600" : "bg-transparent")}
                      />
                      {t.unread ? <span className="sr-only">Unread: </span> : null}
                      <span className={cn("min-w-0 flex-1 truncate text-sm", t.unread ? "font-semibold text-slate-900" : "text-slate-700")}>
                        {t.participant}
                      </span>
                      <RelativeTime value={t.lastMessageAt} className="shrink-0 text-xs text-slate-500" />
                    </span>
                    <span
                      className={cn("mt-0.5 block truncate pl-4 text-sm", t.unread ? "font-semibold text-slate-900" : "text-slate-600")}
                    >
                      {t.subject || "(no subject)"}
                    </span>
                    {t.category || assignee || t.campaignId ? (
                      <span className="mt-1.5 flex flex-wrap items-center gap-x-2 gap-y-1 pl-4 text-xs text-slate-500">
                        {t.category ? <CategoryBadge category={t.category} /> : null}
                        {assignee ? (
                          <span className="inline-flex items-center gap-1">
                            <PersonIcon />
                            <span className="sr-only">Assigned to </span>
                            {assignee}
                          </span>
                        ) : null}
                        {t.campaignId ? (
                          <span className="min-w-0 truncate">
                            <span className="sr-only">Campaign: </span>
                            {campaignName.get(t.campaignId) ?? "Deleted campaign"}
                          </span>
                        ) : null}
                      </span>
                    ) : null}
                  </Link>
                </li>
              );
            })}
          </ul>
          {list.hasMore ? (
            <div className="border-t border-slate-100 px-4 py-3 text-center">
              {list.capped ? (
                <p className="text-xs text-slate-500">Showing the newest {list.items.length}. Narrow the filters to find older ones.</p>
              ) : (
                <Button asChild variant="secondary" size="sm">
                  <Link to={moreHref} preventScrollReset replace aria-busy={loadingMore || undefined}>
                    {loadingMore ? <Spinner /> : null}
                    Load more
                  </Link>
                </Button>
              )}
            </div>
          ) : null}
        </div>
      )}
    </Card>
  );
}

/**
 * Announces replies the automatic refresh brings in (unread threads with newer activity than any
 * seen before), not changes the user made (marking a conversation unread announces nothing).
 */
function NewReplyAnnouncer({ items }: { items: InboxList["items"] }) {
  // ISO timestamps: the lexically greatest is the newest.
  const newest =
    items
      .map((t) => t.lastMessageAt)
      .sort()
      .at(-1) ?? "";
  const seen = useRef(newest);
  const [message, setMessage] = useState("");
  useEffect(() => {
    if (newest <= seen.current) return;
    const fresh = items.filter((t) => t.unread && t.lastMessageAt > seen.current);
    seen.current = newest;
    if (fresh.length === 1) setMessage(`New reply from ${fresh[0]!.participant}.`);
    else if (fresh.length > 1) setMessage(`${fresh.length} new replies.`);
  }, [newest, items]);
  return (
    <span role="status" className="sr-only">
      {message}
    </span>
  );
}

function ListEmpty({ list }: { list: InboxList }) {
  const f = list.filters;
  if (isFiltered(f)) {
    return (
      <EmptyState
        title="Nothing matches these filters"
        action={
          <Link to={`/inbox${inboxSearch({ status: f.status })}`} className="text-sm font-medium text-brand-700 underline">
            Clear the filters
          </Link>
        }
      >
        No {f.status === "archived" ? "archived " : ""}conversation fits all of them. Try fewer filters.
      </EmptyState>
    );
  }
  if (f.status === "archived") {
    return <EmptyState title="No archived conversations">Conversations you archive move here, out of the way.</EmptyState>;
  }
  return (
    <EmptyState
      title="No replies yet — replies to your campaigns land here"
      action={
        <Button asChild variant="secondary" className="mt-2">
          <Link to="/campaigns">Go to campaigns</Link>
        </Button>
      }
    >
      Every answer from every mailbox shows up in this list within seconds, threaded with the e-mail it answers. Out-of-office replies are
      labelled for you.
    </EmptyState>
  );
}

function PersonIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.5">
      <circle cx="10" cy="7" r="3" />
      <path d="M4 17c.8-3 3.2-4.5 6-4.5s5.2 1.5 6 4.5" />
    </svg>
  );
}
