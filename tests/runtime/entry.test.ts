import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

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
});
