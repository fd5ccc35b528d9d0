import { HostName, PURPOSE_LABEL, RecordStatusBadge } from "~/components/infra/status";
import { CopyButton } from "~/components/ui/copy-button";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { RelativeTime } from "~/components/ui/time";
import type { DomainDto } from "../../../workers/infra/domains.ts";

type DnsRecord = DomainDto["records"][number];

const ORDER = ["mx", "mail_host", "spf", "dkim", "dmarc", "tracking", "ptr"];

/** The records a domain must publish, each with what the last DNS check found. */
export function DnsRecordsTable({ records }: { records: DnsRecord[] }) {
  const sorted = [...records].sort((a, b) => ORDER.indexOf(a.purpose) - ORDER.indexOf(b.purpose));
  return (
    <Table caption="DNS records to publish" className="min-w-[52rem]">
      <THead>
        <TR>
          <TH>Record</TH>
          <TH>Name</TH>
          <TH>Value</TH>
          <TH>Status</TH>
        </TR>
      </THead>
      <TBody>
        {sorted.map((r) => (
          <RecordRow key={r.id} r={r} />
        ))}
      </TBody>
    </Table>
  );
}

function RecordRow({ r }: { r: DnsRecord }) {
  const purpose = PURPOSE_LABEL[r.purpose] ?? r.purpose;
  const ours = r.managedAt === "provider";
  return (
    <TR>
      <TD className="w-40">
        <p className="font-medium text-slate-900">{purpose}</p>
        <p className="mt-0.5">
          <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{r.type}</span>
          {r.priority != null ? <span className="ml-1.5 text-xs text-slate-500">priority {r.priority}</span> : null}
        </p>
      </TD>
      <TD className="w-64">
        <div className="flex items-start gap-2">
          <span className="min-w-0 flex-1 font-mono text-xs leading-5 text-slate-900">
            <HostName name={r.name} />
          </span>
          {ours ? null : <CopyButton value={r.name} iconOnly ariaLabel={`Copy ${purpose} name`} />}
        </div>
        {!ours && !r.inDomain ? (
          <p className="mt-1 text-xs text-amber-800">In another zone: publish it where that name is hosted.</p>
        ) : null}
      </TD>
      <TD>
        <div className="flex items-start gap-2">
          <span className="min-w-0 max-w-md flex-1 break-all font-mono text-xs leading-5 text-slate-900">{r.value}</span>
          {ours ? null : <CopyButton value={r.value} iconOnly ariaLabel={`Copy ${purpose} value`} />}
        </div>
        {ours ? (
          <p className="mt-1 text-xs text-slate-500">
            We set this at the server provider; nothing for you to publish. It can take 24–48 hours to show.
          </p>
        ) : null}
      </TD>
      <TD className="w-44">
        <RecordStatusBadge status={r.status} />
        {r.checkedAt ? (
          <p className="mt-1 text-xs text-slate-500">
            Checked <RelativeTime value={r.checkedAt} />
            {r.attempts > 1 ? ` · ${r.attempts} checks` : ""}
          </p>
        ) : null}
        {r.status !== "match" && (r.found || r.lastError) ? (
          <details className="mt-1 text-xs">
            <summary className="cursor-pointer font-medium text-brand-700">What we found</summary>
            <div className="mt-1 flex max-w-56 flex-col gap-1 break-words text-slate-700">
              {r.found ? (
                <p>
                  <span className="text-slate-500">Published: </span>
                  <span className="break-all font-mono">{r.found}</span>
                </p>
              ) : null}
              {r.lastError ? <p>{r.lastError}</p> : null}
            </div>
          </details>
        ) : null}
      </TD>
    </TR>
  );
}
