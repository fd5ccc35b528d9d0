import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../workers/app.ts";

// The real Worker entry inside workerd: /api/* goes to Hono, through the Neon driver to the test DB.
describe("worker entry", () => {
  it("serves /api/health with the database up", async () => {
    const res = await exports.default.fetch("http://pm.test/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", db: "up" });
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("answers unknown API paths with the error envelope", async () => {
    const res = await exports.default.fetch("http://pm.test/api/does-not-exist");
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe("NOT_FOUND");
    expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
  });

  it.each([
    ["/t/ping", 204],
    ["/t/ping.gif", 200],
  ])("answers the benchmark's control %s only in a test build running with APP_ENV=test", async (path, status) => {
    expect((await exports.default.fetch(`http://pm.test${path}`)).status).toBe(status);
    // Same build, any other APP_ENV: no such route (the production bundle does not register it at all).
    const ctx = createExecutionContext();
    const other = { ...(env as unknown as Env), APP_ENV: "development" };
    const res = await worker.fetch(
      new Request(`http://127.0.0.1:8787${path}`) as Request<unknown, IncomingRequestCfProperties>,
      other,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(404);
  });

  it("answers tracking paths before the context middleware: a junk token is a GIF or a 404, never a 5xx", async () => {
    const px = await exports.default.fetch("http://pm.test/t/o/junk.gif");
    expect([px.status, px.headers.get("content-type"), px.headers.get("cache-control")]).toEqual([200, "image/gif", "no-store, private"]);
    expect((await px.arrayBuffer()).byteLength).toBe(42);
    expect(px.headers.get("x-request-id")).toBeNull();
    expect((await exports.default.fetch("http://pm.test/t/c/%E0%A4%A", { redirect: "manual" })).status).toBe(404);
    // Unsubscribe paths still get the context (they write to the database).
    expect((await exports.default.fetch("http://pm.test/t/u/junk")).headers.get("x-request-id")).toMatch(/^req_/);
  });
});
