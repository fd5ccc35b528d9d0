import { Alert } from "~/components/ui/alert";
import { Badge, type BadgeTone } from "~/components/ui/badge";
import { ProgressBar } from "~/components/ui/progress";
import { RelativeTime } from "~/components/ui/time";
import { cn } from "~/lib/cn";

export type MailboxStatus = "active" | "paused" | "error";

export interface MailboxTest {
  ok: boolean;
  at: string;
  phase?: string;
  message: string;
  transcript: string[];
}

const STATUS: Record<MailboxStatus, { label: string; tone: BadgeTone }> = {
  active: { label: "Active", tone: "success" },
  paused: { label: "Paused", tone: "warning" },
  error: { label: "Error", tone: "danger" },
};

export function MailboxStatusBadge({ status }: { status: MailboxStatus }) {
  const s = STATUS[status] ?? { label: status, tone: "neutral" as const };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

/** The SMTP conversation step a test stopped at, in words. */
export const PHASE_LABEL: Record<string, string> = {
  connect: "connecting",
  greeting: "the server greeting",
  ehlo: "EHLO",
  starttls: "STARTTLS",
  auth: "authentication",
  mail: "MAIL FROM",
  rcpt: "RCPT TO",
  data: "DATA",
  body: "sending the message",
};
export const phaseLabel = (phase?: string) => (phase ? (PHASE_LABEL[phase] ?? phase) : "the connection");

export const PROVIDER_LABEL: Record<string, string> = { smtp: "Own SMTP", mailu: "Hosted" };

/** Today's sends against the daily cap, as a small bar with "12 / 50". */
export function UsageBar({ sent, limit, className }: { sent: number | null; limit: number; className?: string }) {
  if (sent === null) return <span className="text-xs text-slate-500">Usage unavailable · {limit}/day</span>;
  const pct = limit ? (sent / limit) * 100 : 0;
  return (
    <div className={cn("flex min-w-32 flex-col gap-1", className)}>
      <span className="text-xs tabular-nums text-slate-700">
        <span className="font-medium text-slate-900">{sent}</span> / {limit} today
      </span>
      <ProgressBar
        value={pct}
        className="h-1.5"
        tone={pct >= 100 ? "danger" : "brand"}
        label="Sent today"
        valueText={`${sent} of ${limit} sent today`}
      />
    </div>
  );
}

/** One line for tables: "Passed 5 minutes ago" / "Failed at authentication". */
export function LastTestSummary({ test }: { test: MailboxTest | null }) {
  if (!test) return <span className="text-xs text-slate-500">Never tested</span>;
  return (
    <span className={cn("flex flex-col text-xs", test.ok ? "text-emerald-700" : "text-red-700")}>
      <span className="font-medium">
        <span aria-hidden="true">{test.ok ? "✓ " : "✕ "}</span>
        {test.ok ? "Passed" : `Failed at ${phaseLabel(test.phase)}`}
      </span>
      <RelativeTime value={test.at} className="text-slate-500" />
    </span>
  );
}

/** The full result of a connection test: outcome, where it stopped, the server's words and the transcript. */
export function TestResult({ test, title }: { test: MailboxTest; title?: string }) {
  return (
    <div className="flex flex-col gap-3">
      <Alert
        tone={test.ok ? "success" : "error"}
        title={title ?? (test.ok ? "Connection test passed" : `Connection test failed at ${phaseLabel(test.phase)}`)}
      >
        <p className="break-words">{test.message}</p>
        <p className="mt-1 text-xs opacity-80">
          Tested <RelativeTime value={test.at} />
        </p>
      </Alert>
      {test.transcript.length ? (
        <details className="group rounded-md border border-slate-200 bg-slate-50 text-sm">
          <summary className="cursor-pointer rounded-md px-3 py-2 font-medium text-slate-800">
            SMTP transcript ({test.transcript.length} lines, passwords hidden)
          </summary>
          <pre
            tabIndex={0}
            aria-label="SMTP transcript"
            className="max-h-72 overflow-auto whitespace-pre-wrap break-all border-t border-slate-200 px-3 py-2 font-mono text-xs leading-relaxed text-slate-700"
          >
            {test.transcript.join("\n")}
          </pre>
        </details>
      ) : !test.ok ? (
        <p className="text-xs text-slate-500">
          No transcript: the server did not get far enough to answer. Check the host, port and security setting.
        </p>
      ) : null}
    </div>
  );
}
