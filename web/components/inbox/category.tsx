import { Badge, type BadgeTone } from "~/components/ui/badge";
import type { INBOX_CATEGORIES } from "../../../workers/inbox/tables.ts";

export type InboxCategory = (typeof INBOX_CATEGORIES)[number];

const CATEGORY: Record<InboxCategory, { label: string; tone: BadgeTone }> = {
  interested: { label: "Interested", tone: "success" },
  meeting_booked: { label: "Meeting booked", tone: "brand" },
  not_interested: { label: "Not interested", tone: "neutral" },
  out_of_office: { label: "Out of office", tone: "warning" },
  wrong_person: { label: "Wrong person", tone: "neutral" },
  unsubscribe_request: { label: "Unsubscribe request", tone: "danger" },
  other: { label: "Other", tone: "neutral" },
};

/** In the order people triage replies: the good news first. */
export const CATEGORY_OPTIONS = (Object.keys(CATEGORY) as InboxCategory[]).map((value) => ({ value, label: CATEGORY[value].label }));

export const categoryLabel = (c: string) => CATEGORY[c as InboxCategory]?.label ?? c;

export function CategoryBadge({ category }: { category: string }) {
  const c = CATEGORY[category as InboxCategory] ?? { label: category, tone: "neutral" as const };
  return <Badge tone={c.tone}>{c.label}</Badge>;
}
