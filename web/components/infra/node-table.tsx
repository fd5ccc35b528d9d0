import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { cleanError, HostName, NodeHealthBadge, silentFor } from "~/components/infra/status";
import { formatNumber, plural } from "~/components/leads/format";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/dialog";
import { ProgressBar } from "~/components/ui/progress";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { RelativeTime } from "~/components/ui/time";
import type { NodeDto } from "../../../workers/infra/nodes.ts";

type Heartbeat = { load1?: number; diskUsedPct?: number; memUsedPct?: number; queueDepth?: number; version?: string };

/** The tenant's SMTP nodes: health from the 30-second heartbeat, load against capacity, maintenance switch. */
export function NodeTable({
  caption = "Sending nodes",
  nodes,
  planned,
  workspaces,
  now,
  canWrite,
  onNotice,
}: {
  caption?: string;
  nodes: NodeDto[];
  /** Sum of the daily limits of the hosted mailboxes on each node. */
  planned: Record<string, number>;
  workspaces: Map<string, string>;
  now: number;
  canWrite: boolean;
  onNotice: (text: string) => void;
}) {
  return (
    <Table caption={caption}>
      <THead>
        <TR>
          <TH>Node</TH>
          <TH>IP addresses</TH>
          <TH>Health</TH>
          <TH>Last heartbeat</TH>
          <TH>Load</TH>
          {canWrite ? (
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          ) : null}
        </TR>
      </THead>
      <TBody>
        {nodes.map((n) => (
          <NodeRow
            key={n.id}
            n={n}
            planned={planned[n.id] ?? 0}
            workspaces={workspaces}
            now={now}
            canWrite={canWrite}
            onNotice={onNotice}
          />
        ))}
      </TBody>
    </Table>
  );
}

function NodeRow({
  n,
  planned,
  workspaces,
  now,
  canWrite,
  onNotice,
}: {
  n: NodeDto;
  planned: number;
  workspaces: Map<string, string>;
  now: number;
  canWrite: boolean;
  onNotice: (text: string) => void;
}) {
  const hb = (n.heartbeat ?? null) as Heartbeat | null;
  const ips = n.ips.length ? n.ips : n.mainIp ? [n.mainIp] : [];
  const metrics = [
    hb?.load1 != null ? `load ${hb.load1.toFixed(2)}` : null,
    hb?.diskUsedPct != null ? `disk ${Math.round(hb.diskUsedPct)}%` : null,
    hb?.memUsedPct != null ? `memory ${Math.round(hb.memUsedPct)}%` : null,
  ].filter(Boolean);
  const pct = n.dailyCapacity ? (planned / n.dailyCapacity) * 100 : 0;
  const retired = n.status === "failed" || n.status === "decommissioned";
  return (
    <TR>
      <TD>
        <p className="font-medium text-slate-900">
          <HostName name={n.name} />
        </p>
        {n.hostname !== n.name ? (
          <p className="font-mono text-xs text-slate-600">
            <HostName name={n.hostname} />
          </p>
        ) : null}
        <p className="mt-0.5 text-xs text-slate-500">
          {n.workspaceId ? `Dedicated to ${workspaces.get(n.workspaceId) ?? "one workspace"}` : "Shared by your workspaces"}
        </p>
        {n.drift ? (
          <p className="mt-1 max-w-72 text-xs font-medium text-amber-800">
            <span aria-hidden="true">⚠ </span>
            <span className="sr-only">Warning: </span>
            {n.drift}
          </p>
        ) : null}
      </TD>
      <TD>
        {ips.length ? (
          <ul className="font-mono text-xs text-slate-700">
            {ips.map((ip) => (
              <li key={ip}>
                {ip}
                {ip === n.mainIp && ips.length > 1 ? <span className="ml-1 font-sans text-slate-500">(main)</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <span className="text-xs text-slate-500">Not assigned yet</span>
        )}
      </TD>
      <TD>
        <NodeHealthBadge health={n.health} />
        {n.health === "unhealthy" ? (
          <p className="mt-1 text-xs text-red-700">{silentFor(n.lastHeartbeatAt, now)}</p>
        ) : n.statusReason && (n.health === "failed" || n.health === "maintenance") ? (
          <p className={`mt-1 max-w-56 break-words text-xs ${n.health === "failed" ? "text-red-700" : "text-amber-800"}`}>
            {cleanError(n.statusReason)}
          </p>
        ) : null}
      </TD>
      <TD className="whitespace-nowrap">
        {n.lastHeartbeatAt ? (
          <RelativeTime value={n.lastHeartbeatAt} className="text-slate-700" />
        ) : (
          <span className="text-slate-500">Never</span>
        )}
        {metrics.length ? <p className="text-xs text-slate-500">{metrics.join(" · ")}</p> : null}
      </TD>
      <TD>
        {retired ? (
          <span className="text-xs text-slate-500">—</span>
        ) : (
          <>
            <p className="whitespace-nowrap text-xs text-slate-700">
              {plural(n.domains, "domain")} · {plural(n.mailboxes, "mailbox", "mailboxes")}
            </p>
            <div className="mt-1 flex min-w-40 flex-col gap-1">
              <ProgressBar
                value={pct}
                className="h-1.5"
                tone={pct > 100 ? "danger" : "brand"}
                label={`Planned daily volume of ${n.name}`}
                valueText={`${formatNumber(planned)} of ${formatNumber(n.dailyCapacity)} e-mails a day`}
              />
              <span className="text-xs tabular-nums text-slate-500">
                {formatNumber(planned)} / {formatNumber(n.dailyCapacity)} a day
              </span>
            </div>
          </>
        )}
      </TD>
      {canWrite ? (
        <TD className="text-right">
          {n.status === "active" || n.status === "maintenance" ? <MaintenanceToggle n={n} onNotice={onNotice} /> : null}
        </TD>
      ) : null}
    </TR>
  );
}

function MaintenanceToggle({ n, onNotice }: { n: NodeDto; onNotice: (text: string) => void }) {
  const f = useActionForm({ onSuccess: () => onNotice(`${n.name} is back in rotation.`) });
  if (n.status === "active") {
    return (
      <ConfirmDialog
        trigger={
          <Button variant="secondary" size="sm" className="whitespace-nowrap" aria-label={`Maintenance on for ${n.name}`}>
            Maintenance on
          </Button>
        }
        title={`Put ${n.name} into maintenance?`}
        description="It leaves rotation: no new domains are placed on it until you turn maintenance off. Its domains and mailboxes stay as they are; nothing is deleted."
        intent="maintenance"
        fields={{ nodeId: n.id, maintenance: "on" }}
        confirmLabel="Maintenance on"
        tone="primary"
        onSuccess={() => onNotice(`${n.name} is in maintenance: out of rotation until you turn it off.`)}
      />
    );
  }
  return (
    <f.Form method="post" className="flex flex-col items-end gap-1">
      <CsrfInput />
      <input type="hidden" name="intent" value="maintenance" />
      <input type="hidden" name="nodeId" value={n.id} />
      <input type="hidden" name="maintenance" value="off" />
      <Button
        type="submit"
        variant="secondary"
        size="sm"
        busy={f.busy}
        className="whitespace-nowrap"
        aria-label={`Maintenance off for ${n.name}`}
      >
        Maintenance off
      </Button>
      {f.formError ? (
        <p role="alert" className="max-w-48 text-xs text-red-700">
          {f.formError}
        </p>
      ) : null}
    </f.Form>
  );
}
