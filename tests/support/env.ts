import { inject } from "vitest";
import { parseConfigFrom } from "../../workers/platform/config.ts";
import { buildCtx, type RequestScope } from "../../workers/platform/context.ts";
import { createLogger } from "../../workers/platform/log.ts";

/** Bindings as the Worker would see them, pointed at the run's test database. */
export function testEnv(overrides: Record<string, string> = {}): Env {
  return {
    APP_ENV: "test",
    APP_VERSION: "0.0.0-test",
    APP_URL: "http://127.0.0.1:8787",
    DATABASE_URL: inject("databaseUrl"),
    NEON_WS_PROXY: inject("wsProxy"),
    AUTH_SECRET: "test-secret-test-secret-test-secret-0000",
    LOG_LEVEL: "error",
    ...overrides,
  } as unknown as Env;
}

/** Collects waitUntil promises so a test can await what the request left running. */
export class TestExecutionContext {
  readonly pending: Promise<unknown>[] = [];
  readonly props = {};
  waitUntil(p: Promise<unknown>) {
    this.pending.push(p);
  }
  passThroughOnException() {}
  async settle() {
    await Promise.allSettled(this.pending);
  }
}

/** A fresh request scope for calling verbs directly; dispose() after use (see withScope). */
export function testScope(overrides: Record<string, string> = {}): RequestScope {
  const config = parseConfigFrom(testEnv(overrides) as unknown as Record<string, unknown>);
  return buildCtx({
    requestId: "req_test",
    config,
    log: createLogger({ test: true }, "error"),
    ip: "203.0.113.7",
    userAgent: "vitest",
    waitUntil: () => undefined,
  });
}

export async function withScope<T>(fn: (scope: RequestScope) => Promise<T>): Promise<T> {
  const scope = testScope();
  try {
    return await fn(scope);
  } finally {
    await scope.dispose();
  }
}
