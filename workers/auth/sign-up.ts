import { writeAudit } from "../audit/write-audit.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { slugify } from "../tenants/slug.ts";
import { memberships, tenants, workspaceMembers, workspaces } from "../tenants/tables.ts";
import { hashPassword } from "./password.ts";
import type { SignUpInput } from "./schemas.ts";
import { users } from "./tables.ts";
import { queueVerification } from "./verify-email.ts";

export interface SignUpResult {
  userId: string;
  tenantId: string;
  workspaceId: string;
}

/**
 * Creates the user, their tenant, the owner membership and a default workspace in one
 * transaction: either all of it exists afterwards or none of it does.
 */
export async function signUp(ctx: Ctx, input: SignUpInput, opts: { verified?: boolean } = {}): Promise<SignUpResult> {
  const passwordHash = await hashPassword(input.password);
  const userId = newId("usr");
  const tenantId = newId("ten");
  const workspaceId = newId("wsp");
  try {
    const result = await runInTx(ctx.db, { tenantId, userId }, async (tx) => {
      await tx.insert(users).values({
        id: userId,
        email: input.email,
        name: input.name,
        passwordHash,
        emailVerifiedAt: opts.verified ? new Date() : null,
      });
      await tx.insert(tenants).values({ id: tenantId, name: input.company });
      await tx.insert(memberships).values({ tenantId, userId, role: "owner" });
      await tx.insert(workspaces).values({ id: workspaceId, tenantId, name: input.company, slug: slugify(input.company) });
      await tx.insert(workspaceMembers).values({ tenantId, workspaceId, userId, role: "admin" });
      await writeAudit(tx, ctx, {
        tenantId,
        actorUserId: userId,
        action: "tenant.create",
        targetType: "tenant",
        targetId: tenantId,
        summary: { company: input.company },
      });
      const send = opts.verified ? null : await queueVerification(tx, ctx, { id: userId, email: input.email, name: input.name });
      return { userId, tenantId, workspaceId, send };
    });
    result.send?.();
    return { userId: result.userId, tenantId: result.tenantId, workspaceId: result.workspaceId };
  } catch (err) {
    if (isUniqueViolation(err, "users_email_uq")) {
      throw new AppError("CONFLICT", "An account with this e-mail already exists. Sign in instead.");
    }
    throw err;
  }
}

/** drizzle wraps driver errors; the Postgres error (code 23505, constraint name) is the cause. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const pg = (err as { cause?: { code?: string; constraint?: string } })?.cause ?? (err as { code?: string; constraint?: string });
  return pg?.code === "23505" && (constraint === undefined || pg.constraint === constraint);
}
