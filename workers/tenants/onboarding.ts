import { sql } from "drizzle-orm";
import { type Ctx, requireTenant, withTx } from "../platform/context.ts";

export interface OnboardingStep {
  id: string;
  title: string;
  description: string;
  done: boolean;
  href: string;
}

/**
 * The onboarding checklist is computed from data, not stored (SPEC §4.1): each step is done when
 * the thing it asks for exists. Sending domains join when hosted infrastructure ships.
 */
export async function getOnboarding(ctx: Ctx): Promise<OnboardingStep[]> {
  const tenant = requireTenant(ctx);
  const userId = ctx.actor?.userId ?? "";
  const counts = await withTx(ctx, async (tx) => {
    const r = await tx.execute<{
      workspaces: number;
      members: number;
      invites: number;
      keys: number;
      verified: boolean;
      mailboxes: number;
      leads: number;
      postal: number;
      campaigns: number;
    }>(sql`
      select (select count(*)::int from workspaces where tenant_id = ${tenant.id}) as workspaces,
             (select count(*)::int from mailboxes where tenant_id = ${tenant.id}) as mailboxes,
             (select count(*)::int from (select 1 from leads where tenant_id = ${tenant.id} limit 1) l) as leads,
             (select count(*)::int from workspaces where tenant_id = ${tenant.id} and postal_address is not null) as postal,
             (select count(*)::int from campaigns where tenant_id = ${tenant.id} and launched_at is not null) as campaigns,
             (select count(*)::int from memberships where tenant_id = ${tenant.id}) as members,
             (select count(*)::int from invitations where tenant_id = ${tenant.id}) as invites,
             (select count(*)::int from api_keys where tenant_id = ${tenant.id} and revoked_at is null) as keys,
             coalesce((select email_verified_at is not null from users where id = ${userId}), false) as verified`);
    return r.rows[0]!;
  });
  return [
    {
      id: "verify",
      title: "Confirm your e-mail",
      description: "So we can reach you about your account and your infrastructure.",
      done: counts.verified,
      href: "/settings/security",
    },
    {
      id: "workspace",
      title: "Set up a workspace",
      description: "One per client or brand; everything you send lives in one.",
      done: counts.workspaces > 0,
      href: "/settings/workspaces",
    },
    {
      id: "postal",
      title: "Add your postal address",
      description: "The law (CAN-SPAM) requires it in every campaign e-mail; campaigns cannot launch without it.",
      done: counts.postal > 0,
      href: "/settings/workspaces",
    },
    {
      id: "mailbox",
      title: "Connect a mailbox",
      description: "The SMTP account your campaigns send from; we test the connection when you add it.",
      done: counts.mailboxes > 0,
      href: "/mailboxes",
    },
    {
      id: "leads",
      title: "Import your leads",
      description: "Upload a CSV; we map the columns, skip suppressed addresses and report every bad row.",
      done: counts.leads > 0,
      href: "/leads/import",
    },
    {
      id: "campaign",
      title: "Launch a campaign",
      description: "A sequence of up to seven e-mails, sent inside your schedule, stopping when a lead replies.",
      done: counts.campaigns > 0,
      href: "/campaigns/new",
    },
    {
      id: "team",
      title: "Invite your team",
      description: "Add teammates with the role and workspaces they need.",
      done: counts.members > 1 || counts.invites > 0,
      href: "/settings/team",
    },
    {
      id: "api",
      title: "Connect your tools",
      description: "Create an API key for your CRM or automation (optional).",
      done: counts.keys > 0,
      href: "/settings/api-keys",
    },
  ];
}
