import { describe, expect, it } from "vitest";
import { isId, newId } from "../../../workers/platform/ids.ts";

describe("prefixed ids", () => {
  it("have the prefix and 26 Crockford characters", () => {
    const id = newId("ten");
    expect(id).toMatch(/^ten_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(isId(id, "ten")).toBe(true);
    expect(isId(id, "usr")).toBe(false);
    expect(isId("ten_' or 1=1 --")).toBe(false);
  });

  it("sort by creation time", () => {
    const a = newId("cmp" as never, 1_700_000_000_000);
    const b = newId("cmp" as never, 1_700_000_000_001);
    expect(a < b).toBe(true);
  });

  it("do not collide in bulk", () => {
    const set = new Set(Array.from({ length: 20_000 }, () => newId("usr")));
    expect(set.size).toBe(20_000);
  });
});
