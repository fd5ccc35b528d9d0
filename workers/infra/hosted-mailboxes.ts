import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { isVendorError } from "../integrations/errors.ts";
import type { Mailu } from "../integrations/mailu/client.ts";
import type { MailboxDto } from "../mailboxes/schemas.ts";
import { toMailboxDto } from "../mailboxes/service.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import { type Ctx, masterKeys, withTx } from "../platform/context.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { encryptSecret } from "../platform/secrets.ts";
import { mailuFor } from "./clients.ts";
import { loadDomain } from "./domains.ts";
import { loadNode, nodeHealth } from "./nodes.ts";
import { infraNodes } from "./tables.ts";

/** MailU's default mailbox quota is what SPEC §4.5 asks for: 1 GB. */
export const HOSTED_QUOTA_BYTES = 1_000_000_000;
export const MAX_BULK = 50;

export const HostedMailboxSpec = z.object({
  localPart: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?$/, "letters, digits, dots, dashes; no leading or trailing dot"),
  fromName: z.string().trim().min(1).max(120),
});
export type HostedMailboxSpec = z.infer<typeof HostedMailboxSpec>;

export const CreateHostedInput = z.object({
  domainId: z.string().min(1).max(64),
  mailboxes: z.array(HostedMailboxSpec).min(1).max(MAX_BULK),
  dailyLimit: z.number().int().min(10).max(500).default(50),
});

export const replyForwardAddress = (ctx: Ctx) => `replies@${ctx.config.INBOUND_DOMAIN}`;

function generatePassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
}

export type HostedResult = { email: string; status: "created" | "exists" | "failed"; mailbox?: MailboxDto; error?: string };

/**
 * Creates mailboxes on the domain's MailU node and registers each as a sending mailbox with its
 * SMTP/IMAP settings filled in. Per mailbox: MailU user (1 GB quota, replies forwarded to the
 * inbound address with a copy kept, allowed a VERP envelope sender), a generated password stored
 * only encrypted, then the row.
 * A mailbox that already exists is reported, not duplicated; if the row cannot be written the
 * MailU user is deleted again, so the node never keeps an account we do not know about.
 */
export async function createHostedMailboxes(
  ctx: Ctx,
  raw: z.input<typeof CreateHostedInput>,
  mailu?: Mailu,
): Promise<{ results: HostedResult[] }> {
  requirePermission(ctx, "infra:write");
  const input = CreateHostedInput.parse(raw);
  const { d, node, existing } = await withTx(ctx, async (tx) => {
    const d = await loadDomain(tx, ctx, input.domainId, "admin");
    if (!d.nodeId || !d.mailuCreated) throw new AppError("CONFLICT", "This domain is not set up on a mail node yet.");
    const node = await loadNode(tx, ctx, d.nodeId);
    // Out of rotation (3 missed heartbeats, maintenance, still provisioning): no new mailboxes there.
    const health = nodeHealth(node);
    if (health !== "healthy")
      throw new AppError("CONFLICT", `The domain's node is ${health}; mailboxes can be added once it is healthy again.`);
    const emails = input.mailboxes.map((m) => `${m.localPart}@${d.name}`);
    const existing = await tx
      .select({ email: mailboxes.email })
      .from(mailboxes)
      .where(and(eq(mailboxes.tenantId, ctx.tenant!.id), inArray(mailboxes.email, emails)));
    return { d, node, existing: new Set(existing.map((e) => e.email)) };
  });
  const dupes = input.mailboxes.map((m) => m.localPart).filter((l, i, all) => all.indexOf(l) !== i);
  if (dupes.length) throw new AppError("BAD_REQUEST", `Listed twice: ${[...new Set(dupes)].join(", ")}.`);
  const client = mailu ?? (await mailuFor(ctx, node));
  const mk = await masterKeys(ctx);
  const results: HostedResult[] = [];
  for (const spec of input.mailboxes) {
    const email = `${spec.localPart}@${d.name}`;
    if (existing.has(email)) {
      results.push({ email, status: "exists" });
      continue;
    }
    const password = generatePassword();
    try {
      const user = {
        rawPassword: password,
        quotaBytes: HOSTED_QUOTA_BYTES,
        displayedName: spec.fromName,
        forwardEnabled: true,
        forwardDestination: [replyForwardAddress(ctx)],
        forwardKeep: true,
        // Needed for the VERP envelope sender (sending/verp.ts): postfix's submission service has
        // reject_authenticated_sender_login_mismatch, so MAIL FROM must equal the login unless the
        // user may spoof. Safe here because the password is generated, stored only encrypted and
        // never shown: only our sending code logs in as this user.
        allowSpoofing: true,
        enableImap: true,
        enabled: true,
        comment: `penguinmails ${ctx.tenant!.id}`,
      };
      await client.createUser({ email, ...user }).catch(async (err) => {
        // Left over from an interrupted attempt: take it over with a password we know.
        if (isVendorError(err) && err.code === "conflict") return client.updateUser(email, user);
        throw err;
      });
    } catch (err) {
      results.push({ email, status: "failed", error: isVendorError(err) ? `Mail node: ${err.message}` : "Mail node unreachable." });
      continue;
    }
    try {
      const enc = await encryptSecret(mk, password);
      const row = await withTx(ctx, async (tx) => {
        const [row] = await tx
          .insert(mailboxes)
          .values({
            id: newId("mbx"),
            tenantId: ctx.tenant!.id,
            workspaceId: d.workspaceId,
            provider: "mailu",
            email,
            fromName: spec.fromName,
            smtpHost: node.hostname,
            smtpPort: 587,
            smtpSecurity: "starttls",
            smtpUsername: email,
            smtpPasswordEnc: enc,
            imapHost: node.hostname,
            imapPort: 993,
            imapUsername: email,
            imapPasswordEnc: enc,
            dailyLimit: input.dailyLimit,
            nodeId: node.id,
            domainId: d.id,
          })
          .returning();
        await writeAudit(tx, ctx, {
          action: "mailbox.create_hosted",
          targetType: "mailbox",
          targetId: row!.id,
          summary: { email, nodeId: node.id },
        });
        return row!;
      });
      results.push({ email, status: "created", mailbox: toMailboxDto(row) });
    } catch (err) {
      await client.deleteUser(email).catch(() => undefined);
      results.push({ email, status: "failed", error: err instanceof AppError ? err.message : "Could not save the mailbox." });
    }
  }
  return { results };
}

/** Called before a hosted mailbox's row is deleted: the MailU user goes first (already gone is fine). */
export async function deleteOnNode(ctx: Ctx, row: { provider: string; nodeId: string | null; email: string }): Promise<void> {
  if (row.provider !== "mailu" || !row.nodeId) return;
  const node = await withTx(ctx, async (tx) => {
    const [n] = await tx.select().from(infraNodes).where(eq(infraNodes.id, row.nodeId!));
    return n ?? null;
  });
  if (!node || node.status === "decommissioned" || !node.mailuTokenEnc) return;
  const client = await mailuFor(ctx, node);
  await client.deleteUser(row.email).catch((err) => {
    if (isVendorError(err) && err.code === "not_found") return;
    throw new AppError(
      "UNAVAILABLE",
      `The mail node refused to delete ${row.email}: ${isVendorError(err) ? err.message : "unreachable"}. Nothing was deleted.`,
    );
  });
}
