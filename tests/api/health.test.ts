import { describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/ports.ts";
import { api } from "../../workers/api/app.ts";
import { TestExecutionContext, testEnv } from "../support/env.ts";

async function get(path: string, env: Env) {
  const exec = new TestExecutionContext();
  const res = await api.request(path, {}, env, exec as unknown as ExecutionContext);
  await exec.settle();
  return res;
}

describe("GET /api/health", () => {
  it("reports the database up through the real driver", async () => {
    const res = await get("/api/health", testEnv());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: "up", version: "0.0.0-test" });
  });

  it("reports a dead database as down with 503, not a crash", async () => {
    const dead = await freePort();
    const res = await get(
      "/api/health",
      testEnv({ DATABASE_URL: `postgres://u:p@127.0.0.1:${dead}/x`, NEON_WS_PROXY: `127.0.0.1:${dead}`, DB_HEALTH_TIMEOUT_MS: "1500" }),
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "degraded", db: "down", version: "0.0.0-test" });
  });

  it("answers a broken configuration with a generic 500 envelope that leaks nothing", async () => {
    const res = await get("/api/health", testEnv({ DATABASE_URL: "mysql://root:hunter2@db" }));
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("INTERNAL");
    expect(JSON.stringify(body)).not.toContain("hunter2");
  });
});
