import { describe, expect, it } from "vitest";
import { AppError, CODE_STATUS, toErrorBody } from "../../../workers/platform/errors.ts";

describe("error envelope", () => {
  it("maps AppError codes to fixed statuses", () => {
    for (const [code, status] of Object.entries(CODE_STATUS)) {
      const { status: s, body } = toErrorBody(new AppError(code as keyof typeof CODE_STATUS, "m"), "req_1");
      expect(s).toBe(status);
      expect(body).toEqual({ error: { code, message: "m", requestId: "req_1" } });
    }
  });

  it("never leaks an unknown error's message", () => {
    const { status, body } = toErrorBody(new Error('relation "secret_table" at db.internal:5432 password=hunter2'), "req_2");
    expect(status).toBe(500);
    expect(body.error.code).toBe("INTERNAL");
    expect(JSON.stringify(body)).not.toMatch(/secret_table|hunter2|5432/);
    expect(body.error.requestId).toBe("req_2");
  });

  it("carries validation issues", () => {
    const { body } = toErrorBody(new AppError("BAD_REQUEST", "bad", { issues: [{ path: "email", message: "invalid" }] }), "r");
    expect(body.error.issues).toEqual([{ path: "email", message: "invalid" }]);
  });
});
