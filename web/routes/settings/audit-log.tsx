import { Form, Link, useNavigation } from "react-router";
import { z } from "zod";
import { Alert, EmptyState } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { DateTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { listAuditLog } from "../../../workers/audit/list-audit.ts";
import { can } from "../../../workers/auth/permissions.ts";
import type { Route } from "./+types/audit-log";

export const meta: Route.MetaFunction = () => [{ title: "Audit log · Settings · PenguinMails" }];

const PAGE_SIZE = 50;

/** What each recorded action means, in words; unknown actions fall back to their code. */
const ACTIONS: Record<string, string> = {
  "tenant.create": "Organization created",
  "tenant.update": "Organization renamed",
  "tenant.ownership_transfer": "Ownership transferred",
  "member.role_change": "Member role changed",
  "member.remove": "Member removed",
  "invitation.create": "Invitation sent",
  "invitation.revoke": "Invitation revoked",
  "invitation.accept": "Invitation accepted",
  "workspace.create": "Workspace created",
  "workspace.update": "Workspace updated",
  "workspace.delete": "Workspace deleted",
  "api_key.create": "API key created",
  "api_key.revoke": "API key revoked",
  "user.password_change": "Password changed",
  "lead.create": "Lead added",
  "lead.update": "Lead edited",
  "lead.delete": "Lead deleted",
  "lead.bulk_add_to_list": "Leads added to a list",
  "lead.bulk_remove_from_list": "Leads removed from a list",
  "lead_field.define": "Lead field defined",
  "lead_list.create": "Lead list created",
  "lead_list.delete": "Lead list deleted",
  "lead_import.upload": "Lead file uploaded",
  "lead_import.start": "Lead import started",
  "lead_import.cancel": "Lead import cancelled",
  "suppression.add": "Address suppressed",
  "suppression.import": "Suppression list imported",
  "suppression.remove": "Suppression removed",
  "template.create": "Template created",
  "template.update": "Template edited",
  "template.delete": "Template deleted",
  "mailbox.create": "Mailbox connected",
  "mailbox.update": "Mailbox updated",
  "mailbox.test": "Mailbox tested",
  "mailbox.delete": "Mailbox removed",
  "campaign.create": "Campaign created",
  "campaign.update": "Campaign edited",
  "campaign.launch": "Campaign launched",
  "campaign.pause": "Campaign paused",
  "campaign.resume": "Campaign resumed",
  "campaign.stop": "Campaign stopped",
};

const Query = z.object({
  action: z.string().trim().max(64).optional().catch(undefined),
  before: z.string().max(200).optional().catch(undefined),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const url = new URL(request.url);
  const q = Query.parse({ action: url.searchParams.get("action") || undefined, before: url.searchParams.get("before") || undefined });
  if (!session.tenant || !can(scope, "audit:read")) return { allowed: false as const, items: [], nextCursor: null, ...q };
  const page = await orHttp(listAuditLog(scope, { limit: PAGE_SIZE, before: q.before, action: q.action }));
  return { allowed: true as const, ...page, ...q };
}

type Entry = Route.ComponentProps["loaderData"]["items"][number];

function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (Array.isArray(v)) return v.map(show).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** A one-line reading of the entry's summary: before → after for updates, key: value otherwise. */
function summarize(summary: Record<string, unknown> | null): string {
  if (!summary) return "";
  const { before, after, ...rest } = summary;
  const parts: string[] = [];
  if (before !== undefined || after !== undefined) {
    if (before && after && typeof before === "object" && typeof after === "object") {
      const b = before as Record<string, unknown>;
      const a = after as Record<string, unknown>;
      for (const k of Object.keys(a))
        if (a[k] !== undefined && show(b[k]) !== show(a[k])) parts.push(`${k}: ${show(b[k])} → ${show(a[k])}`);
    } else {
      parts.push(`${show(before)} → ${show(after)}`);
    }
  }
  for (const [k, v] of Object.entries(rest)) parts.push(`${k}: ${show(v)}`);
  return parts.join("; ");
}

function Actor({ actor }: { actor: Entry["actor"] }) {
  if (actor.kind === "user") {
    return (
      <>
        <p className="truncate font-medium text-slate-900">{actor.name ?? "Deleted user"}</p>
        {actor.email ? (
          <p className="truncate text-xs text-slate-500" title={actor.email}>
            {actor.email}
          </p>
        ) : null}
      </>
    );
  }
  const label = actor.kind === "api_key" ? "API key" : actor.kind === "staff" ? "PenguinMails support" : "System";
  return <p className="font-medium text-slate-700">{label}</p>;
}

export default function AuditLog({ loaderData }: Route.ComponentProps) {
  const { allowed, items, nextCursor, action, before } = loaderData;
  const nav = useNavigation();
  const filtering = nav.state === "loading" && nav.location.pathname === "/settings/audit-log";
  const options = [
    { value: "", label: "All actions" },
    ...Object.entries(ACTIONS).map(([value, label]) => ({ value, label })),
    ...(action && !ACTIONS[action] ? [{ value: action, label: action }] : []),
  ];
  const olderHref = nextCursor ? `?${new URLSearchParams({ ...(action ? { action } : {}), before: nextCursor })}` : null;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Audit log"
        description="Who changed what in your organization and when: members, invitations, workspaces, API keys and security events. Newest first."
      />
      {!allowed ? (
        <Alert tone="info" title="Owners and admins only">
          The audit log shows every change made in the organization, so only owners and admins can read it.
        </Alert>
      ) : (
        <Card>
          <CardHeader
            title={before ? "Older entries" : "Recent activity"}
            action={
              <Form method="get" className="flex items-end gap-2">
                <SelectField
                  label="Action"
                  name="action"
                  options={options}
                  defaultValue={action ?? ""}
                  key={action ?? ""}
                  className="w-56"
                />
                <Button type="submit" variant="secondary" busy={filtering}>
                  Filter
                </Button>
              </Form>
            }
          />
          <CardBody className={items.length ? "py-2" : undefined}>
            {items.length === 0 ? (
              <EmptyState
                title={action ? "Nothing recorded for this action" : before ? "No older entries" : "No activity yet"}
                action={
                  action || before ? (
                    <Link to="/settings/audit-log" className="text-sm font-medium text-brand-700 underline">
                      Show all recent activity
                    </Link>
                  ) : null
                }
              >
                {action || before ? "Try another filter." : "Changes to members, workspaces and keys are recorded here."}
              </EmptyState>
            ) : (
              <Table caption="Audit log entries, newest first" className="table-fixed">
                <THead>
                  <TR>
                    <TH className="w-[16%]">Time</TH>
                    <TH className="w-[21%]">Actor</TH>
                    <TH className="w-[20%]">Action</TH>
                    <TH className="w-[15%]">Target</TH>
                    <TH>Details</TH>
                  </TR>
                </THead>
                <TBody>
                  {items.map((e) => (
                    <TR key={e.id}>
                      <TD className="text-slate-600">
                        <DateTime value={e.createdAt} stacked />
                      </TD>
                      <TD>
                        <Actor actor={e.actor} />
                      </TD>
                      <TD>
                        <p className="font-medium text-slate-900 [overflow-wrap:anywhere]">{ACTIONS[e.action] ?? e.action}</p>
                        {ACTIONS[e.action] ? <p className="truncate font-mono text-xs text-slate-500">{e.action}</p> : null}
                      </TD>
                      <TD>
                        {e.targetType ? (
                          <>
                            <p className="text-slate-700">{e.targetType.replace("_", " ")}</p>
                            {e.targetId ? (
                              <p className="truncate font-mono text-xs text-slate-500" title={e.targetId}>
                                {e.targetId}
                              </p>
                            ) : null}
                          </>
                        ) : (
                          <span className="text-slate-400">—</span>
                        )}
                      </TD>
                      <TD className="text-slate-600 [overflow-wrap:anywhere]">
                        {summarize(e.summary) || <span className="text-slate-400">—</span>}
                      </TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            )}
            {items.length > 0 && (olderHref || before) ? (
              <nav aria-label="Audit log pages" className="flex items-center justify-between border-t border-slate-100 pt-3 pb-1">
                {before ? (
                  <Link
                    to={action ? `?${new URLSearchParams({ action })}` : "/settings/audit-log"}
                    className="text-sm font-medium text-brand-700 underline"
                  >
                    ← Newest entries
                  </Link>
                ) : (
                  <span />
                )}
                {olderHref ? (
                  <Button asChild variant="secondary" size="sm">
                    <Link to={olderHref}>Load older entries</Link>
                  </Button>
                ) : (
                  <span className="text-sm text-slate-500">That is everything.</span>
                )}
              </nav>
            ) : null}
          </CardBody>
        </Card>
      )}
    </div>
  );
}
