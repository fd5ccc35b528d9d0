import type { Config } from "./config.ts";
import { createDb, type Db, type DbHandle, runInTx, type Tx } from "./db.ts";
import { AppError } from "./errors.ts";
import type { Logger } from "./log.ts";
import { loadMasterKeys, type MasterKeys } from "./secrets.ts";

export type TenantRole = "owner" | "admin" | "member";

export type Actor =
  | { kind: "user"; userId: string; sessionId: string; email: string; name: string; emailVerified?: boolean }
  | { kind: "api_key"; keyId: string; userId: null; scopes: string[] }
  | { kind: "system"; userId: null; reason: string };

export interface TenantScope {
  id: string;
  name: string;
  role: TenantRole;
}

/**
 * Everything a verb may use, built once per request (or queue message). The tenant always comes
 * from here, never from input. The database pool is opened on first use and closed by `dispose`.
 */
export interface Ctx {
  requestId: string;
  config: Config;
  log: Logger;
  actor: Actor | null;
  tenant: TenantScope | null;
  ip: string | null;
  userAgent: string | null;
  readonly db: Db;
  waitUntil(p: Promise<unknown>): void;
}

export interface RequestScope extends Ctx {
  /** Closes the request's pool; call once, after the response (in waitUntil). */
  dispose(): Promise<void>;
}

export function buildCtx(init: {
  requestId: string;
  config: Config;
  log: Logger;
  ip?: string | null;
  userAgent?: string | null;
  waitUntil: (p: Promise<unknown>) => void;
  /** Database connections this unit of work may hold at once (createDb's default when absent). */
  maxDbConnections?: number;
}): RequestScope {
  let handle: DbHandle | null = null;
  return {
    requestId: init.requestId,
    config: init.config,
    log: init.log,
    actor: null,
    tenant: null,
    ip: init.ip ?? null,
    userAgent: init.userAgent ?? null,
    get db() {
      handle ??= createDb(init.config, init.log, init.maxDbConnections);
      return handle.db;
    },
    waitUntil: init.waitUntil,
    dispose: async () => {
      const h = handle;
      handle = null;
      await h?.close();
    },
  };
}

/** One transaction as the app role, scoped to ctx's tenant and acting user (RLS does the rest). */
export function withTx<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return runInTx(ctx.db, { tenantId: ctx.tenant?.id ?? null, userId: ctx.actor?.userId ?? null }, fn);
}

const keyCache = new Map<string, Promise<MasterKeys>>();

/** The secrets master keys, parsed once per isolate. */
export function masterKeys(ctx: Ctx): Promise<MasterKeys> {
  const spec = ctx.config.SECRETS_MASTER_KEYS;
  if (!spec) throw new AppError("UNAVAILABLE", "Stored credentials are disabled: SECRETS_MASTER_KEYS is not configured.");
  let p = keyCache.get(spec);
  if (!p) {
    p = loadMasterKeys(spec);
    keyCache.set(spec, p);
  }
  return p;
}

export function requireTenant(ctx: Ctx): TenantScope {
  if (!ctx.actor) throw new AppError("UNAUTHENTICATED", "Sign in or send an API key.");
  if (!ctx.tenant) throw new AppError("FORBIDDEN", "No active tenant for this session.");
  return ctx.tenant;
}
