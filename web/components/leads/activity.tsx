import type * as React from "react";
import { Link } from "react-router";
import { SendStatusBadge } from "~/components/campaigns/status";
import { EmptyState } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { DateTime } from "~/components/ui/time";
import { cn } from "~/lib/cn";
import type { TimelineItem } from "../../../workers/leads/timeline.ts";

type Tone = "brand" | "success" | "warning" | "danger" | "neutral";
const TONE: Record<Tone, string> = {
  brand: "bg-brand-50 text-brand-700 ring-brand-100",
  success: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  warning: "bg-amber-50 text-amber-800 ring-amber-200",
  danger: "bg-red-50 text-red-700 ring-red-200",
  neutral: "bg-slate-100 text-slate-600 ring-slate-200",
};

// 20×20 outline icons, one per kind of entry.
const ICONS = {
  send: <path d="M3 10 17 3l-4 14-3.5-5.5L3 10Zm6.5 1.5L17 3" />,
  delivered: <path d="m4.5 10.5 3.5 3.5 7.5-8" />,
  opened: (
    <>
      <path d="M2 10s3-5.5 8-5.5S18 10 18 10s-3 5.5-8 5.5S2 10 2 10Z" />
      <circle cx="10" cy="10" r="2.5" />
    </>
  ),
  clicked: <path d="M8.5 11.5a3 3 0 0 0 4.2 0l2.8-2.8a3 3 0 0 0-4.2-4.2l-1 1m1.2 3a3 3 0 0 0-4.2 0L4.5 11.3a3 3 0 0 0 4.2 4.2l1-1" />,
  replied: <path d="M8 5 3 10l5 5M3 10h9a5 5 0 0 1 5 5v1" />,
  bounced: <path d="M10 3.5 2.5 16.5h15L10 3.5Zm0 5v3.5m0 2.2v.3" />,
  unsubscribed: (
    <>
      <circle cx="10" cy="10" r="7" />
      <path d="M6.5 10h7" />
    </>
  ),
  complained: <path d="M4.5 17V3.5m0 0h9l-2 3.5 2 3.5h-9" />,
} as const;

const EVENT: Record<string, { title: string; icon: keyof typeof ICONS; tone: Tone }> = {
  sent: { title: "E-mail sent", icon: "send", tone: "brand" },
  delivered: { title: "Delivered", icon: "delivered", tone: "success" },
  opened: { title: "Opened", icon: "opened", tone: "neutral" },
  clicked: { title: "Clicked a link", icon: "clicked", tone: "brand" },
  replied: { title: "Replied", icon: "replied", tone: "success" },
  bounced: { title: "Bounced", icon: "bounced", tone: "danger" },
  unsubscribed: { title: "Unsubscribed", icon: "unsubscribed", tone: "warning" },
  complained: { title: "Marked as spam", icon: "complained", tone: "danger" },
};

const SEND_TONE: Record<string, Tone> = { sent: "brand", bounced: "danger", failed: "danger", unknown: "warning" };

/** meta.machine values from workers/tracking/bots.ts, as people say them. */
const MACHINE: Record<string, string> = {
  apple_mpp: "Apple Mail Privacy Protection loaded the images",
  scanner_ua: "a security scanner or link checker",
  too_fast: "clicked seconds after delivery, as scanners do",
  head_request: "a link preview or scanner (HEAD request)",
};

/** The lead's campaign history as a vertical timeline: sends and what happened to them, newest first. */
export function ActivityCard({
  items,
  limit,
}: {
  items: TimelineItem[] /** The verb's cap (TIMELINE_LIMIT), passed from the loader. */;
  limit: number;
}) {
  return (
    <Card>
      <CardHeader title="Activity" description="Campaign e-mails and what happened to them, newest first." />
      <CardBody>
        {items.length === 0 ? (
          <EmptyState title="No activity yet">
            When a campaign e-mails this lead, each send, open, click, reply and bounce shows up here.
          </EmptyState>
        ) : (
          <>
            <ol aria-label="Activity, newest first" className="flex flex-col">
              {items.map((item, i) => (
                <Entry key={`${item.kind}:${item.id}`} item={item} last={i === items.length - 1} />
              ))}
            </ol>
            {items.length >= limit ? (
              <p className="mt-4 border-t border-slate-100 pt-3 text-xs text-slate-500">
                Showing the latest {limit} entries. Each campaign's page lists every send.
              </p>
            ) : null}
          </>
        )}
      </CardBody>
    </Card>
  );
}

function Entry({ item, last }: { item: TimelineItem; last: boolean }) {
  const machine = item.kind === "event" ? item.machine : null;
  const e = item.kind === "event" ? (EVENT[item.type] ?? { title: item.type, icon: "send", tone: "neutral" as const }) : null;
  const icon = e ? e.icon : "send";
  const tone: Tone = machine ? "neutral" : item.kind === "event" ? e!.tone : (SEND_TONE[item.status] ?? "neutral");
  return (
    <li className="relative flex gap-3 pb-5 last:pb-0">
      {last ? null : <span aria-hidden="true" className="absolute top-9 bottom-1 left-4 w-px -translate-x-1/2 bg-slate-200" />}
      <span
        aria-hidden="true"
        className={cn(
          "flex size-8 shrink-0 items-center justify-center rounded-full ring-1 ring-inset",
          TONE[tone],
          machine && "opacity-60",
        )}
      >
        <svg
          viewBox="0 0 20 20"
          className="size-4"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          {ICONS[icon]}
        </svg>
      </span>
      <div className={cn("min-w-0 flex-1 pt-1", machine && "text-slate-500")}>
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
          {item.kind === "send" ? <SendTitle item={item} /> : <EventTitle item={item} title={e!.title} />}
        </p>
        <p className="mt-0.5 flex flex-wrap items-center gap-x-1.5 text-xs text-slate-500">
          {item.campaignId ? (
            <Link to={`/campaigns/${item.campaignId}`} className="font-medium text-brand-700 hover:underline">
              {item.campaignName ?? "Deleted campaign"}
            </Link>
          ) : (
            <span>No campaign</span>
          )}
          {item.step ? <span>· step {item.step}</span> : null}
          <span aria-hidden="true">·</span>
          <DateTime value={item.at} />
        </p>
        <Detail item={item} />
      </div>
    </li>
  );
}

function SendTitle({ item }: { item: Extract<TimelineItem, { kind: "send" }> }) {
  const title =
    item.status === "sent"
      ? "E-mail sent"
      : item.status === "bounced"
        ? "E-mail bounced"
        : item.status === "failed"
          ? "E-mail not sent"
          : item.status === "cancelled"
            ? "E-mail cancelled"
            : item.status === "unknown"
              ? "E-mail handed over, outcome unknown"
              : "E-mail scheduled";
  return (
    <>
      <span className="font-medium text-slate-900">{title}</span>
      <SendStatusBadge status={item.status} />
    </>
  );
}

function EventTitle({ item, title }: { item: Extract<TimelineItem, { kind: "event" }>; title: string }) {
  return (
    <>
      <span className={cn("font-medium", item.machine ? "text-slate-500" : "text-slate-900")}>{title}</span>
      {item.type === "opened" ? (
        <Badge title="Opens come from a tracking image; mail apps and privacy proxies load it on their own, so they are an estimate.">
          approximate
        </Badge>
      ) : null}
      {item.type === "replied" && item.auto ? <Badge tone="warning">Automatic reply</Badge> : null}
      {item.type === "bounced" && item.bounceClass ? (
        <Badge tone={item.bounceClass === "hard" ? "danger" : "warning"}>{item.bounceClass === "hard" ? "Hard" : "Soft"}</Badge>
      ) : null}
      {item.machine ? (
        <span className="text-xs text-slate-500" title={MACHINE[item.machine] ?? item.machine}>
          (machine<span className="sr-only">: {MACHINE[item.machine] ?? item.machine}</span>)
        </span>
      ) : null}
    </>
  );
}

function Detail({ item }: { item: TimelineItem }) {
  let text: React.ReactNode = null;
  if (item.kind === "send") {
    text = (
      <>
        {item.subject ? <span className="text-slate-700">“{item.subject}”</span> : null}
        {item.to ? <span> to {item.to}</span> : null}
        {item.error ? <span className="mt-0.5 block text-red-700">{item.error}</span> : null}
      </>
    );
  } else if (item.type === "clicked" && item.url) {
    text = <span className="break-all">{item.url}</span>;
  } else if (item.type === "bounced" && item.diagnostic) {
    text = item.diagnostic;
  } else if (item.type === "complained" && item.feedbackType) {
    text = `Feedback report: ${item.feedbackType}`;
  }
  return text ? <p className="mt-1 break-words text-xs text-slate-600">{text}</p> : null;
}
