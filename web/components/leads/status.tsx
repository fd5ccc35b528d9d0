import { Badge, type BadgeTone } from "~/components/ui/badge";

export const LEAD_STATUS_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "unsubscribed", label: "Unsubscribed" },
  { value: "bounced", label: "Bounced" },
  { value: "complained", label: "Complained" },
] as const;
export type LeadStatus = (typeof LEAD_STATUS_OPTIONS)[number]["value"];

const LEAD_TONE: Record<LeadStatus, BadgeTone> = { active: "success", unsubscribed: "warning", bounced: "danger", complained: "danger" };

export function LeadStatusBadge({ status }: { status: LeadStatus }) {
  return <Badge tone={LEAD_TONE[status]}>{LEAD_STATUS_OPTIONS.find((o) => o.value === status)?.label ?? status}</Badge>;
}

export type ImportStatus = "uploaded" | "validating" | "importing" | "completed" | "failed" | "cancelled";

const IMPORT_LABEL: Record<ImportStatus, string> = {
  uploaded: "Waiting for mapping",
  validating: "Checking rows",
  importing: "Importing",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};
const IMPORT_TONE: Record<ImportStatus, BadgeTone> = {
  uploaded: "neutral",
  validating: "brand",
  importing: "brand",
  completed: "success",
  failed: "danger",
  cancelled: "neutral",
};

export const isImportRunning = (s: ImportStatus) => s === "validating" || s === "importing";

export function ImportStatusBadge({ status }: { status: ImportStatus }) {
  return <Badge tone={IMPORT_TONE[status]}>{IMPORT_LABEL[status]}</Badge>;
}

/** Reasons as people say them (suppression entries and mayMail answers). */
export const SUPPRESSION_REASON_LABEL: Record<string, string> = {
  unsubscribed: "Unsubscribed",
  hard_bounce: "Hard bounce",
  complaint: "Spam complaint",
  manual: "Added by hand",
  imported: "Imported list",
  abuse: "Abuse",
};
