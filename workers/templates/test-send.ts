import { and, eq } from "drizzle-orm";
import { requirePermission, requireUserActor } from "../auth/permissions.ts";
import { leads } from "../leads/tables.ts";
import { loadMailbox, smtpCredentials } from "../mailboxes/service.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { workspaces } from "../tenants/tables.ts";
import { withComplianceFooter } from "./footer.ts";
import { renderMessage } from "./render.ts";
import { leadForRender } from "./service.ts";
import { templates } from "./tables.ts";

/**
 * Sends a template, rendered for one of the workspace's leads (or a sample), to the signed-in user's
 * own address through a chosen mailbox — exactly as a campaign would build it, with "[Test]" in front
 * of the subject. Nothing is recorded as a campaign send.
 */
export async function testSendTemplate(ctx: Ctx, templateId: string, input: { mailboxId: string; leadId?: string }) {
  requirePermission(ctx, "campaigns:write");
  const actor = requireUserActor(ctx);
  const { tpl, box, lead, postal } = await withTx(ctx, async (tx) => {
    const [tpl] = await tx
      .select()
      .from(templates)
      .where(and(eq(templates.id, templateId), eq(templates.tenantId, ctx.tenant!.id)));
    if (!tpl) throw new AppError("NOT_FOUND", "Template not found.");
    const box = await loadMailbox(tx, ctx, input.mailboxId, "member");
    if (box.workspaceId !== tpl.workspaceId) throw new AppError("BAD_REQUEST", "Choose a mailbox from the template's workspace.");
    if (box.status !== "active") throw new AppError("CONFLICT", "That mailbox is not active.");
    const [lead] = input.leadId
      ? await tx
          .select()
          .from(leads)
          .where(and(eq(leads.id, input.leadId), eq(leads.workspaceId, tpl.workspaceId)))
      : [];
    if (input.leadId && !lead) throw new AppError("NOT_FOUND", "Lead not found in this workspace.");
    const [ws] = await tx.select({ postalAddress: workspaces.postalAddress }).from(workspaces).where(eq(workspaces.id, tpl.workspaceId));
    return { tpl, box, lead, postal: ws?.postalAddress ?? null };
  });
  const [first, ...rest] = box.fromName.split(" ");
  const rendered = renderMessage(
    { subject: tpl.subject, text: tpl.bodyText, html: tpl.bodyHtml ?? undefined },
    {
      lead: lead ? leadForRender(lead) : { email: "sample@example.com", firstName: "Sam", lastName: "Sample", company: "Example Co" },
      sender: { email: box.email, firstName: first ?? "", lastName: rest.join(" "), signature: box.signature ?? "" },
      seed: `test:${lead?.id ?? "sample"}`,
    },
  );
  const final = withComplianceFooter(rendered, {
    postalAddress: postal ?? "Your postal address (set it in workspace settings)",
    unsubscribeUrl: `${ctx.config.APP_URL}/t/u/test-message`,
  });
  const domain = box.email.slice(box.email.indexOf("@") + 1);
  const { buildMessage } = await import("../sending/mime.ts");
  const { SmtpSession } = await import("../sending/smtp.ts");
  const data = buildMessage({
    from: { name: box.fromName, email: box.email },
    to: actor.email,
    subject: `[Test] ${final.subject}`,
    text: final.text,
    html: final.html,
    messageId: `${newId("msg")}@${domain}`,
    date: new Date(),
  });
  const session = await SmtpSession.open({
    host: box.smtpHost,
    port: box.smtpPort,
    security: box.smtpSecurity,
    ...(await smtpCredentials(ctx, box)),
    heloName: domain,
  });
  try {
    await session.send(box.email, actor.email, data);
  } finally {
    await session.close();
  }
  return { sentTo: actor.email, subject: `[Test] ${final.subject}` };
}
