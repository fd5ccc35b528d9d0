import { Badge, type BadgeTone } from "~/components/ui/badge";

/** Labels and colours for sending infrastructure (nodes, domains, DNS records, provisioning runs). */

export type NodeHealth = "healthy" | "unhealthy" | "provisioning" | "maintenance" | "failed" | "decommissioned";
export type DomainStatus = "pending" | "verified" | "drift";
export type RecordStatus = "pending" | "match" | "mismatch" | "missing" | "error";
export type RunStatus = "running" | "succeeded" | "failed";
export type StepStatus = "pending" | "running" | "done" | "failed" | "skipped" | "rolled_back";

type Look = { label: string; tone: BadgeTone };

const NODE_HEALTH: Record<NodeHealth, Look> = {
  healthy: { label: "Healthy", tone: "success" },
  unhealthy: { label: "Unhealthy", tone: "danger" },
  provisioning: { label: "Provisioning", tone: "brand" },
  maintenance: { label: "Maintenance", tone: "warning" },
  failed: { label: "Failed", tone: "danger" },
  decommissioned: { label: "Decommissioned", tone: "neutral" },
};

const DOMAIN_STATUS: Record<DomainStatus, Look> = {
  verified: { label: "Verified", tone: "success" },
  pending: { label: "Waiting for DNS", tone: "warning" },
  drift: { label: "DNS changed", tone: "danger" },
};

const RECORD_STATUS: Record<RecordStatus, Look> = {
  match: { label: "Found", tone: "success" },
  mismatch: { label: "Different", tone: "danger" },
  missing: { label: "Not found", tone: "warning" },
  error: { label: "Lookup failed", tone: "neutral" },
  pending: { label: "Not checked", tone: "neutral" },
};

const RUN_STATUS: Record<RunStatus, Look> = {
  running: { label: "Running", tone: "brand" },
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
};

const badge = (look: Look | undefined, fallback: string) => <Badge tone={look?.tone ?? "neutral"}>{look?.label ?? fallback}</Badge>;

export const NodeHealthBadge = ({ health }: { health: string }) => badge(NODE_HEALTH[health as NodeHealth], health);
export const DomainStatusBadge = ({ status }: { status: string }) => badge(DOMAIN_STATUS[status as DomainStatus], status);
export const RecordStatusBadge = ({ status }: { status: string }) => badge(RECORD_STATUS[status as RecordStatus], status);
export const RunStatusBadge = ({ status }: { status: string }) => badge(RUN_STATUS[status as RunStatus], status);

/** What each record is for, in words (the tracking CNAME is optional; PTR is ours to set at the provider). */
export const PURPOSE_LABEL: Record<string, string> = {
  mx: "MX",
  mail_host: "Mail host A",
  spf: "SPF",
  dkim: "DKIM",
  dmarc: "DMARC",
  tracking: "Tracking CNAME (optional)",
  ptr: "PTR (set by us at the provider)",
};

/** "no heartbeat for 7m" / "for 2h 5m": how long an unhealthy node has been silent (now comes from the loader, so SSR and hydration agree). */
export function silentFor(lastHeartbeatAt: string | null, now: number): string {
  if (!lastHeartbeatAt) return "no heartbeat yet";
  const mins = Math.max(0, Math.round((now - new Date(lastHeartbeatAt).getTime()) / 60_000));
  if (mins < 60) return `no heartbeat for ${mins}m`;
  const h = Math.floor(mins / 60);
  if (h < 48) return `no heartbeat for ${h}h${mins % 60 ? ` ${mins % 60}m` : ""}`;
  return `no heartbeat for ${Math.floor(h / 24)} days`;
}

export const SIZES = [
  { value: "small", label: "Small", volume: "Up to 5,000 e-mails a day", spec: "1 vCPU · 2 GB RAM · 50 GB", price: "$9.99/mo" },
  { value: "medium", label: "Medium", volume: "Up to 25,000 e-mails a day", spec: "2 vCPU · 4 GB RAM", price: null },
  { value: "large", label: "Large", volume: "Up to 100,000 e-mails a day", spec: "4 vCPU · 8 GB RAM", price: null },
] as const;

export const sizeLabel = (size: string) => SIZES.find((s) => s.value === size)?.label ?? size;

/** Workflow errors arrive as "NonRetryableError: <reason>"; people need only the reason. */
export const cleanError = (e: string | null | undefined) => e?.replace(/^(NonRetryable)?Error:\s*/, "") ?? null;

/** A host name that wraps at its dots, never inside a label (long sub-domains in narrow columns). */
export function HostName({ name }: { name: string }) {
  return (
    <>
      {name.split(".").map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: labels can repeat; position is the identity
        <span key={i}>
          {i ? "." : null}
          <wbr />
          {part}
        </span>
      ))}
    </>
  );
}
