import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api } from "../../workers/api/app.ts";

async function get(path: string, bindings: Record<string, string> = {}) {
  const exec = createExecutionContext();
  const res = await api.request(path, {}, { ...env, ...bindings }, exec);
  await waitOnExecutionContext(exec);
  return res;
}

describe("GET /api/health", () => {
  it("reports the database up through the real driver", async () => {
    const res = await get("/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", db: "up" });
  });

  it("reports a dead database as down with 503, not a crash", async () => {
    // Port 47 (unassigned) has no listener: the driver's WebSocket fails to connect.
    const res = await get("/api/health", { NEON_WS_PROXY: "127.0.0.1:47", DB_HEALTH_TIMEOUT_MS: "1500" });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "degraded", db: "down" });
  });

  it("answers a broken configuration with a generic 500 envelope that leaks nothing", async () => {
    const res = await get("/api/health", { DATABASE_URL: "mysql://root:hunter2@db" });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe("INTERNAL");
    expect(JSON.stringify(body)).not.toContain("hunter2");
  });
});
