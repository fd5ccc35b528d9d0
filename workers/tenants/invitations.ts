import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission, requireUserActor } from "../auth/permissions.ts";
import { users } from "../auth/tables.ts";
import { newToken, sha256Hex } from "../auth/tokens.ts";
import { recordMail } from "../mailer/send.ts";
import { mailTemplates } from "../mailer/templates.ts";
import { type Ctx, withTx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import type { CreateInvitationInput, InvitationDto } from "./schemas.ts";
import { invitations, memberships, plans, tenants, workspaceMembers, workspaces } from "./tables.ts";

export const INVITATION_TTL_MS = 7 * 86_400_000;

const statusOf = (r: typeof invitations.$inferSelect): InvitationDto["status"] =>
  r.acceptedAt ? "accepted" : r.revokedAt ? "revoked" : r.expiresAt.getTime() < Date.now() ? "expired" : "pending";

const toDto = (r: typeof invitations.$inferSelect): InvitationDto => ({
  id: r.id,
  email: r.email,
  role: r.role,
  status: statusOf(r),
  expiresAt: r.expiresAt.toISOString(),
  createdAt: r.createdAt.toISOString(),
});

/** Seats count members only; pending invitations do not (SPEC §4.2). */
export async function createInvitation(ctx: Ctx, input: CreateInvitationInput): Promise<InvitationDto> {
  requirePermission(ctx, "members:write");
  const actor = requireUserActor(ctx);
  const tenantId = ctx.tenant!.id;
  const token = newToken();
  const { dto, send } = await withTx(ctx, async (tx) => {
    const [t] = await tx
      .select({ name: tenants.name, maxUsers: plans.maxUsers })
      .from(tenants)
      .innerJoin(plans, eq(plans.slug, tenants.plan))
      .where(eq(tenants.id, tenantId));
    const [seats] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.tenantId, tenantId));
    if (t?.maxUsers != null && (seats?.n ?? 0) >= t.maxUsers)
      throw new AppError("PLAN_LIMIT", `Your plan includes ${t.maxUsers} users. Upgrade to invite more.`);
    const already = await tx.execute(sql`
      select 1 from memberships m join users u on u.id = m.user_id where m.tenant_id = ${tenantId} and lower(u.email) = ${input.email}`);
    if (already.rows.length) throw new AppError("CONFLICT", "This person is already a member.");
    const wsIds = [...new Set(input.workspaces.map((w) => w.id))];
    if (wsIds.length) {
      const found = await tx
        .select({ id: workspaces.id })
        .from(workspaces)
        .where(and(eq(workspaces.tenantId, tenantId), inArray(workspaces.id, wsIds)));
      if (found.length !== wsIds.length) throw new AppError("BAD_REQUEST", "One or more workspaces do not exist in this organization.");
    }
    // A new invitation to the same address replaces any pending one.
    await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          eq(invitations.email, input.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
    const [row] = await tx
      .insert(invitations)
      .values({
        id: newId("inv"),
        tenantId,
        email: input.email,
        role: input.role,
        workspaceIds: input.workspaces.map((w) => `${w.id}:${w.role}`),
        note: input.note ?? null,
        tokenHash: await sha256Hex(token),
        invitedBy: actor.userId,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      })
      .returning();
    await writeAudit(tx, ctx, {
      action: "invitation.create",
      targetType: "invitation",
      targetId: row!.id,
      summary: { email: input.email, role: input.role },
    });
    const link = `${ctx.config.APP_URL}/accept-invite?token=${encodeURIComponent(token)}`;
    const send = await recordMail(tx, ctx, mailTemplates.invitation(input.email, actor.name, t?.name ?? "your team", link, input.note));
    return { dto: toDto(row!), send };
  });
  send();
  return dto;
}

export async function listInvitations(ctx: Ctx): Promise<InvitationDto[]> {
  requirePermission(ctx, "members:read");
  const rows = await withTx(ctx, (tx) =>
    tx.select().from(invitations).where(eq(invitations.tenantId, ctx.tenant!.id)).orderBy(desc(invitations.createdAt)),
  );
  return rows.map(toDto);
}

export async function revokeInvitation(ctx: Ctx, invitationId: string): Promise<InvitationDto> {
  requirePermission(ctx, "members:write");
  return withTx(ctx, async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: sql`coalesce(${invitations.revokedAt}, now())` })
      .where(and(eq(invitations.id, invitationId), eq(invitations.tenantId, ctx.tenant!.id), isNull(invitations.acceptedAt)))
      .returning();
    if (!row) throw new AppError("NOT_FOUND", "Invitation not found or already accepted.");
    await writeAudit(tx, ctx, { action: "invitation.revoke", targetType: "invitation", targetId: invitationId });
    return toDto(row);
  });
}

/** Looks an invitation up by its token (before the invitee belongs to the tenant); for the accept page. */
export async function peekInvitation(ctx: Ctx, token: string) {
  if (!token || token.length > 128) return null;
  const tokenHash = await sha256Hex(token);
  return runInTx(ctx.db, { tenantId: null }, async (tx) => {
    await tx.execute(sql`select set_config('app.invite_token_hash', ${tokenHash}, true)`);
    const [row] = await tx.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
    if (!row) return null;
    await tx.execute(sql`select set_config('app.tenant_id', ${row.tenantId}, true)`);
    const [t] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, row.tenantId));
    return { ...toDto(row), tenantId: row.tenantId, tenantName: t?.name ?? "" };
  });
}

/**
 * Single use: the row is claimed with UPDATE … WHERE accepted_at IS NULL, so a replayed or
 * concurrent accept fails. The signed-in user's address must be the invited one.
 */
export async function acceptInvitation(ctx: Ctx, token: string): Promise<{ tenantId: string }> {
  const actor = requireUserActor(ctx);
  const tokenHash = await sha256Hex(token);
  return runInTx(ctx.db, { tenantId: null, userId: actor.userId }, async (tx) => {
    await tx.execute(sql`select set_config('app.invite_token_hash', ${tokenHash}, true)`);
    const [inv] = await tx.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
    if (!inv || statusOf(inv) !== "pending") throw new AppError("GONE", "This invitation is invalid, expired or already used.");
    const [u] = await tx.select({ email: users.email }).from(users).where(eq(users.id, actor.userId));
    if (u?.email.toLowerCase() !== inv.email) {
      throw new AppError("FORBIDDEN", `This invitation was sent to ${inv.email}. Sign in with that address to accept it.`);
    }
    await tx.execute(sql`select set_config('app.tenant_id', ${inv.tenantId}, true)`);
    const [claimed] = await tx
      .update(invitations)
      .set({ acceptedAt: sql`now()` })
      .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id });
    if (!claimed) throw new AppError("GONE", "This invitation is invalid, expired or already used.");
    await tx.insert(memberships).values({ tenantId: inv.tenantId, userId: actor.userId, role: inv.role }).onConflictDoNothing();
    for (const entry of inv.workspaceIds) {
      const [workspaceId, role] = entry.split(":") as [string, "admin" | "member" | "viewer"];
      await tx.insert(workspaceMembers).values({ tenantId: inv.tenantId, workspaceId, userId: actor.userId, role }).onConflictDoNothing();
    }
    await writeAudit(
      tx,
      { ...ctx, tenant: { id: inv.tenantId, name: "", role: inv.role } },
      {
        action: "invitation.accept",
        targetType: "invitation",
        targetId: inv.id,
        summary: { email: inv.email, role: inv.role },
      },
    );
    return { tenantId: inv.tenantId };
  });
}
