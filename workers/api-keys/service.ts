import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.ts";
import { requirePermission, requireUserActor } from "../auth/permissions.ts";
import { sha256Hex } from "../auth/tokens.ts";
import { type Ctx, type TenantScope, withTx } from "../platform/context.ts";
import { runInTx } from "../platform/db.ts";
import { AppError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { plans, tenants } from "../tenants/tables.ts";
import type { ApiKeyDto, CreateApiKeyInput } from "./schemas.ts";
import { apiKeys } from "./tables.ts";

const KEY_RE = /^pm_live_[A-Za-z0-9]{32}$/;
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function generateKey(): string {
  // 62^32 ≈ 2^190; rejection sampling keeps every character uniform.
  let out = "";
  while (out.length < 32) {
    for (const b of crypto.getRandomValues(new Uint8Array(48))) {
      if (b < 248 && out.length < 32) out += ALNUM[b % 62];
    }
  }
  return `pm_live_${out}`;
}

const toDto = (r: typeof apiKeys.$inferSelect): ApiKeyDto => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scopes: r.scopes,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

export async function createApiKey(ctx: Ctx, input: CreateApiKeyInput): Promise<ApiKeyDto & { key: string }> {
  requirePermission(ctx, "api_keys:write");
  const user = requireUserActor(ctx);
  const key = generateKey();
  return withTx(ctx, async (tx) => {
    const [plan] = await tx
      .select({ apiAccess: plans.apiAccess })
      .from(tenants)
      .innerJoin(plans, eq(plans.slug, tenants.plan))
      .where(eq(tenants.id, ctx.tenant!.id));
    if (!plan?.apiAccess) throw new AppError("PLAN_LIMIT", "Your plan does not include API access. Upgrade to Professional or above.");
    const [row] = await tx
      .insert(apiKeys)
      .values({
        id: newId("key"),
        tenantId: ctx.tenant!.id,
        name: input.name,
        prefix: key.slice(0, 12),
        keyHash: await sha256Hex(key),
        scopes: [...new Set(input.scopes)],
        createdBy: user.userId,
      })
      .returning();
    await writeAudit(tx, ctx, {
      action: "api_key.create",
      targetType: "api_key",
      targetId: row!.id,
      summary: { name: input.name, scopes: input.scopes },
    });
    return { ...toDto(row!), key };
  });
}

export async function listApiKeys(ctx: Ctx): Promise<ApiKeyDto[]> {
  requirePermission(ctx, "api_keys:read");
  const rows = await withTx(ctx, (tx) =>
    tx.select().from(apiKeys).where(eq(apiKeys.tenantId, ctx.tenant!.id)).orderBy(desc(apiKeys.createdAt)),
  );
  return rows.map(toDto);
}

export async function revokeApiKey(ctx: Ctx, keyId: string): Promise<ApiKeyDto> {
  requirePermission(ctx, "api_keys:write");
  return withTx(ctx, async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, ctx.tenant!.id)))
      .returning();
    if (!row) throw new AppError("NOT_FOUND", "API key not found.");
    await writeAudit(tx, ctx, { action: "api_key.revoke", targetType: "api_key", targetId: keyId });
    return toDto(row);
  });
}

export interface ResolvedApiKey {
  keyId: string;
  scopes: string[];
  tenant: TenantScope;
  limits: { perMinute: number; burst: number };
}

/** Bearer key → tenant and scopes, or null (unknown, malformed, revoked, or tenant suspended). */
export async function resolveApiKey(ctx: Ctx, key: string): Promise<ResolvedApiKey | null> {
  if (!KEY_RE.test(key)) return null;
  const keyHash = await sha256Hex(key);
  return runInTx(ctx.db, { tenantId: null }, async (tx) => {
    await tx.execute(sql`select set_config('app.api_key_hash', ${keyHash}, true)`);
    const [row] = await tx
      .select({ id: apiKeys.id, tenantId: apiKeys.tenantId, scopes: apiKeys.scopes, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
      .limit(1);
    if (!row) return null;
    await tx.execute(sql`select set_config('app.tenant_id', ${row.tenantId}, true)`);
    const [t] = await tx
      .select({
        name: tenants.name,
        status: tenants.status,
        perMinute: plans.apiPerMinute,
        burst: plans.apiBurst,
        apiAccess: plans.apiAccess,
      })
      .from(tenants)
      .innerJoin(plans, eq(plans.slug, tenants.plan))
      .where(eq(tenants.id, row.tenantId));
    if (t?.status !== "active" || !t.apiAccess) return null;
    // last_used_at at minute precision: one write per key per minute, not per request.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await tx.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id));
    }
    return {
      keyId: row.id,
      scopes: row.scopes,
      tenant: { id: row.tenantId, name: t.name, role: "member" },
      limits: { perMinute: t.perMinute, burst: t.burst },
    };
  });
}
