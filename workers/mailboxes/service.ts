import { and, asc, eq, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission } from "../auth/permissions.ts";
import { isUniqueViolation } from "../auth/sign-up.ts";
import { deleteOnNode } from "../infra/hosted-mailboxes.ts";
import { type Ctx, masterKeys, withTx } from "../platform/context.ts";
import type { Tx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { decryptSecret, encryptSecret } from "../platform/secrets.ts";
import { requireWorkspaceRole } from "../tenants/access.ts";
import type { CreateMailboxInput, MailboxDto, UpdateMailboxInput } from "./schemas.ts";
import { mailboxes } from "./tables.ts";

type Row = typeof mailboxes.$inferSelect;

/** Never includes a password, encrypted or not. */
export const toMailboxDto = (r: Row): MailboxDto => ({
  id: r.id,
  workspaceId: r.workspaceId,
  provider: r.provider,
  email: r.email,
  fromName: r.fromName,
  signature: r.signature,
  smtpHost: r.smtpHost,
  smtpPort: r.smtpPort,
  smtpSecurity: r.smtpSecurity,
  smtpUsername: r.smtpUsername,
  hasImap: Boolean(r.imapHost),
  imapHost: r.imapHost,
  imapPort: r.imapPort,
  dailyLimit: r.dailyLimit,
  minGapSeconds: r.minGapSeconds,
  timezone: r.timezone,
  status: r.status,
  statusReason: r.statusReason,
  lastTest: r.lastTest ?? null,
  createdAt: r.createdAt.toISOString(),
});

function assertSecurity(ctx: Ctx, security: string | undefined, host: string | undefined) {
  // Plain-text SMTP only for local test servers outside production: credentials would travel in clear.
  if (security === "none" && (ctx.config.APP_ENV === "production" || !/^(127\.0\.0\.1|localhost|\[::1\])$/.test(host ?? ""))) {
    throw new AppError(
      "BAD_REQUEST",
      "Use STARTTLS (port 587) or TLS (port 465); unencrypted SMTP is only allowed to a local test server.",
    );
  }
}

export async function loadMailbox(tx: Tx, ctx: Ctx, id: string, min: "viewer" | "member" | "admin"): Promise<Row> {
  const [row] = await tx
    .select()
    .from(mailboxes)
    .where(and(eq(mailboxes.id, id), eq(mailboxes.tenantId, ctx.tenant!.id)));
  if (!row) throw new AppError("NOT_FOUND", "Mailbox not found.");
  await requireWorkspaceRole(tx, ctx, row.workspaceId, min).catch((err) => {
    throw err instanceof AppError && err.code === "NOT_FOUND" ? new AppError("NOT_FOUND", "Mailbox not found.") : err;
  });
  return row;
}

export async function listMailboxes(ctx: Ctx, workspaceId?: string): Promise<MailboxDto[]> {
  requirePermission(ctx, "campaigns:read");
  const rows = await withTx(ctx, async (tx) => {
    if (workspaceId) await requireWorkspaceRole(tx, ctx, workspaceId, "viewer");
    return tx
      .select()
      .from(mailboxes)
      .where(and(eq(mailboxes.tenantId, ctx.tenant!.id), workspaceId ? eq(mailboxes.workspaceId, workspaceId) : undefined))
      .orderBy(asc(mailboxes.email));
  });
  return rows.map(toMailboxDto);
}

export async function getMailbox(ctx: Ctx, id: string): Promise<MailboxDto> {
  requirePermission(ctx, "campaigns:read");
  return toMailboxDto(await withTx(ctx, (tx) => loadMailbox(tx, ctx, id, "viewer")));
}

export async function createMailbox(ctx: Ctx, input: CreateMailboxInput): Promise<MailboxDto> {
  requirePermission(ctx, "campaigns:write");
  assertSecurity(ctx, input.smtpSecurity, input.smtpHost);
  const mk = await masterKeys(ctx);
  const smtpPasswordEnc = await encryptSecret(mk, input.smtpPassword);
  const imapPasswordEnc = input.imapPassword ? await encryptSecret(mk, input.imapPassword) : null;
  try {
    return await withTx(ctx, async (tx) => {
      await requireWorkspaceRole(tx, ctx, input.workspaceId, "admin");
      const { smtpPassword: _p, imapPassword: _i, ...settings } = input;
      const [row] = await tx
        .insert(mailboxes)
        .values({ ...settings, id: newId("mbx"), tenantId: ctx.tenant!.id, smtpPasswordEnc, imapPasswordEnc })
        .returning();
      await writeAudit(tx, ctx, {
        action: "mailbox.create",
        targetType: "mailbox",
        targetId: row!.id,
        summary: { email: input.email, host: input.smtpHost },
      });
      return toMailboxDto(row!);
    });
  } catch (err) {
    if (isUniqueViolation(err, "mailboxes_tenant_email_uq")) throw new AppError("CONFLICT", "This mailbox is already connected.");
    throw err;
  }
}

export async function updateMailbox(ctx: Ctx, id: string, input: UpdateMailboxInput): Promise<MailboxDto> {
  requirePermission(ctx, "campaigns:write");
  const mk = input.smtpPassword || input.imapPassword ? await masterKeys(ctx) : null;
  return withTx(ctx, async (tx) => {
    const before = await loadMailbox(tx, ctx, id, "admin");
    assertSecurity(ctx, input.smtpSecurity ?? before.smtpSecurity, input.smtpHost ?? before.smtpHost);
    const { smtpPassword, imapPassword, ...settings } = input;
    const patch: Partial<Row> = { ...settings, updatedAt: new Date() };
    if (smtpPassword) patch.smtpPasswordEnc = await encryptSecret(mk!, smtpPassword);
    if (imapPassword) patch.imapPasswordEnc = await encryptSecret(mk!, imapPassword);
    // Resuming clears any state. A new SMTP password clears only an `error` (authentication failed):
    // a paused mailbox stays paused. The CASEs read the row at the update, so an error the send path
    // recorded meanwhile is cleared too; the next test or send re-checks the credentials.
    const inError = sql`${mailboxes.status} = 'error'`;
    const statusPatch =
      input.status === "active"
        ? { status: "active" as const, statusReason: null }
        : smtpPassword
          ? {
              status: input.status ?? sql`case when ${inError} then 'active' else ${mailboxes.status} end`,
              statusReason: sql`case when ${inError} then null else ${mailboxes.statusReason} end`,
            }
          : {};
    const [row] = await tx
      .update(mailboxes)
      .set({ ...patch, ...statusPatch })
      .where(eq(mailboxes.id, id))
      .returning();
    await writeAudit(tx, ctx, {
      action: "mailbox.update",
      targetType: "mailbox",
      targetId: id,
      summary: { fields: Object.keys(input).map((k) => (k.endsWith("Password") ? `${k} (changed)` : k)) },
    });
    return toMailboxDto(row!);
  });
}

export async function deleteMailbox(ctx: Ctx, id: string) {
  requirePermission(ctx, "campaigns:write");
  // Hosted mailboxes: the MailU user is removed first; if the node refuses, nothing is deleted.
  const hosted = await withTx(ctx, (tx) => loadMailbox(tx, ctx, id, "admin"));
  await deleteOnNode(ctx, hosted);
  return withTx(ctx, async (tx) => {
    const row = await loadMailbox(tx, ctx, id, "admin");
    await tx.delete(mailboxes).where(eq(mailboxes.id, id));
    await writeAudit(tx, ctx, { action: "mailbox.delete", targetType: "mailbox", targetId: id, summary: { email: row.email } });
    return { deleted: true as const };
  });
}

/** The decrypted SMTP credentials, for the send path and the connection test only. */
export async function smtpCredentials(ctx: Ctx, row: Pick<Row, "smtpUsername" | "smtpPasswordEnc">) {
  return { username: row.smtpUsername, password: await decryptSecret(await masterKeys(ctx), row.smtpPasswordEnc) };
}

/**
 * Really speaks SMTP to the mailbox's server (EHLO, STARTTLS, AUTH), records the answer and the
 * transcript (credentials masked) and marks the mailbox in error when authentication fails.
 */
export async function testMailbox(ctx: Ctx, id: string): Promise<MailboxDto> {
  requirePermission(ctx, "campaigns:write");
  const row = await withTx(ctx, (tx) => loadMailbox(tx, ctx, id, "admin"));
  const creds = await smtpCredentials(ctx, row);
  const { SmtpSession, SmtpError } = await import("../sending/smtp.ts");
  let result: NonNullable<Row["lastTest"]>;
  let authFailed = false;
  try {
    const s = await SmtpSession.open({
      host: row.smtpHost,
      port: row.smtpPort,
      security: row.smtpSecurity,
      username: creds.username,
      password: creds.password,
      timeoutMs: 10_000,
    });
    result = {
      ok: true,
      at: new Date().toISOString(),
      message: "Connected, encrypted and authenticated.",
      transcript: s.transcript.slice(-12),
    };
    await s.close();
  } catch (err) {
    const e = err instanceof SmtpError ? err : new SmtpError("connect", null, (err as Error).message);
    authFailed = e.phase === "auth" && e.permanent;
    result = {
      ok: false,
      at: new Date().toISOString(),
      phase: e.phase,
      message: e.message.replaceAll(creds.password, "***").slice(0, 500),
      transcript: [],
    };
  }
  return withTx(ctx, async (tx) => {
    const [updated] = await tx
      .update(mailboxes)
      .set({
        lastTest: result,
        updatedAt: new Date(),
        ...(authFailed ? { status: "error" as const, statusReason: `Authentication failed: ${result.message}` } : {}),
        ...(result.ok && row.status === "error" ? { status: "active" as const, statusReason: null } : {}),
      })
      .where(eq(mailboxes.id, id))
      .returning();
    await writeAudit(tx, ctx, {
      action: "mailbox.test",
      targetType: "mailbox",
      targetId: id,
      summary: { ok: result.ok, phase: result.phase },
    });
    return toMailboxDto(updated!);
  });
}
