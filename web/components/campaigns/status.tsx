import { Badge, type BadgeTone } from "~/components/ui/badge";
import type { CampaignStatus } from "./format";

// "sending" is shown as "Active", the word Instantly and Smartlead users know (SPEC §4.7.4).
const STATUS: Record<CampaignStatus, { label: string; tone: BadgeTone }> = {
  draft: { label: "Draft", tone: "neutral" },
  scheduled: { label: "Scheduled", tone: "brand" },
  sending: { label: "Active", tone: "success" },
  paused: { label: "Paused", tone: "warning" },
  completed: { label: "Completed", tone: "neutral" },
};

export const campaignStatusLabel = (s: string, stopped = false) =>
  s === "completed" && stopped ? "Stopped" : (STATUS[s as CampaignStatus]?.label ?? s);

export function CampaignStatusBadge({ status, stopped = false }: { status: string; stopped?: boolean }) {
  const s = STATUS[status as CampaignStatus] ?? { label: status, tone: "neutral" as const };
  return (
    <Badge tone={s.tone} className="gap-1.5">
      {status === "sending" ? (
        <span aria-hidden="true" className="relative flex size-1.5">
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-500 opacity-60 motion-reduce:hidden" />
          <span className="relative inline-flex size-1.5 rounded-full bg-emerald-500" />
        </span>
      ) : null}
      {campaignStatusLabel(status, stopped)}
    </Badge>
  );
}

const SEND: Record<string, { label: string; tone: BadgeTone }> = {
  queued: { label: "Queued", tone: "neutral" },
  sending: { label: "Sending", tone: "brand" },
  retry: { label: "Retrying", tone: "warning" },
  requeue: { label: "Rescheduled", tone: "neutral" },
  sent: { label: "Sent", tone: "success" },
  bounced: { label: "Bounced", tone: "danger" },
  failed: { label: "Failed", tone: "danger" },
  unknown: { label: "Unknown", tone: "warning" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export function SendStatusBadge({ status }: { status: string }) {
  const s = SEND[status] ?? { label: status, tone: "neutral" as const };
  return (
    <Badge tone={s.tone} title={status === "unknown" ? "Delivery outcome unknown; never resent automatically." : undefined}>
      {s.label}
    </Badge>
  );
}
