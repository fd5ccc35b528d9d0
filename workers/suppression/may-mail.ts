import { sql } from "drizzle-orm";
import { normalizeEmail } from "../leads/email.ts";
import type { Tx } from "../platform/db.ts";

export interface MailDecision {
  allowed: boolean;
  reason?: "invalid_address" | "suppressed" | "lead_unsubscribed" | "lead_bounced" | "lead_complained";
  scope?: "global" | "tenant" | "workspace";
  suppressionReason?: string;
}

/**
 * "May we mail this address for this workspace?" for one address: global, tenant and workspace
 * suppression of the address and of its domain, then the lead's own status. Runs in the caller's
 * tenant transaction. It backs `checkAddress` (the check page and `GET /suppressions/check`); the
 * send path does NOT call it. The same suppression test has two more copies, which must change
 * with this one:
 * - `suppressedAmong()` below, the bulk form (lead imports);
 * - `sending/prepare.ts`, the `suppressed` subquery in the joined select that re-checks every
 *   claimed send just before SMTP (the lead's status is checked there from the joined lead row).
 * Nothing checks suppression when a send is planned and enqueued (`campaigns/plan.ts`).
 */
export async function mayMail(
  tx: Tx,
  tenantId: string,
  workspaceId: string,
  rawEmail: string,
  // A person answering someone who wrote to us: an unsubscribe (suppression or lead status) does
  // not block it, anything else still does — decided in the query, so an unsubscribe row can never
  // hide another suppression of the same address or domain.
  opts: { ignoreUnsubscribes?: boolean } = {},
): Promise<MailDecision> {
  const n = normalizeEmail(rawEmail);
  if (!n) return { allowed: false, reason: "invalid_address" };
  const hit = await tx.execute<{ scope: "global" | "tenant" | "workspace"; reason: string }>(sql`
    select scope, reason from suppressions
    where value in (${n.email}, ${n.domain})
      and (scope = 'global'
           or (scope = 'tenant' and tenant_id = ${tenantId})
           or (scope = 'workspace' and tenant_id = ${tenantId} and workspace_id = ${workspaceId}))
      ${opts.ignoreUnsubscribes ? sql`and reason <> 'unsubscribed'` : sql``}
    order by case scope when 'global' then 0 when 'tenant' then 1 else 2 end
    limit 1`);
  const s = hit.rows[0];
  if (s) return { allowed: false, reason: "suppressed", scope: s.scope, suppressionReason: s.reason };
  const lead = await tx.execute<{ status: string }>(
    sql`select status from leads where tenant_id = ${tenantId} and email = ${n.email} limit 1`,
  );
  const status = lead.rows[0]?.status;
  if (status && status !== "active" && !(opts.ignoreUnsubscribes && status === "unsubscribed"))
    return { allowed: false, reason: `lead_${status}` as MailDecision["reason"] };
  return { allowed: true };
}

/**
 * Bulk form for lead imports (`leads/imports/step.ts`): of these normalised addresses, which are
 * suppressed for the workspace (by address or domain, any scope)? One query per call. The same test
 * as mayMail and the `sending/prepare.ts` subquery: change the three together.
 */
export async function suppressedAmong(tx: Tx, tenantId: string, workspaceId: string, emails: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (emails.length === 0) return out;
  const domains = [...new Set(emails.map((e) => e.slice(e.lastIndexOf("@") + 1)))];
  const rows = await tx.execute<{ value: string; kind: string; reason: string }>(sql`
    select value, kind, reason from suppressions
    where value = any(${sql.param([...emails, ...domains])}::text[])
      and (scope = 'global'
           or (scope = 'tenant' and tenant_id = ${tenantId})
           or (scope = 'workspace' and tenant_id = ${tenantId} and workspace_id = ${workspaceId}))`);
  const byValue = new Map(rows.rows.map((r) => [r.value, r.reason]));
  for (const e of emails) {
    const reason = byValue.get(e) ?? byValue.get(e.slice(e.lastIndexOf("@") + 1));
    if (reason) out.set(e, reason);
  }
  return out;
}
