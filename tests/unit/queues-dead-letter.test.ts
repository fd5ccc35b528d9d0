import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { idFromSeed } from "../../workers/platform/ids.ts";
import { DEAD_LETTER_QUEUES } from "../../workers/queues/dead-letter.ts";

// A dead-letter queue without a consumer is where failed work goes to be forgotten: an import stuck
// in `validating`, a campaign whose clock never wakes again. Every one must be consumed and handled.
const toml = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");

/** The [[queues.consumers]] blocks of wrangler.toml as key → raw value. */
function consumers(): Record<string, string>[] {
  return toml
    .split(/^\[/m)
    .filter((block) => block.startsWith("[queues.consumers]]"))
    .map((block) =>
      Object.fromEntries([...block.matchAll(/^(\w+)\s*=\s*"?([^"\n]*)"?\s*$/gm)].map((m) => [m[1] ?? "", m[2] ?? ""] as [string, string])),
    );
}

describe("dead-letter queues", () => {
  it("every dead_letter_queue in wrangler.toml has a consumer, and the queue handler treats it as one", () => {
    const all = consumers();
    const named = new Set(all.flatMap((c) => (c.dead_letter_queue ? [c.dead_letter_queue] : [])));
    const consumed = new Set(all.map((c) => c.queue));
    expect([...named].sort()).toEqual(["pm-campaigns-dlq", "pm-imports-dlq", "pm-sends-dlq"]);
    for (const q of named) expect(consumed.has(q), `${q} has no [[queues.consumers]] entry`).toBe(true);
    expect([...DEAD_LETTER_QUEUES].sort()).toEqual([...named].sort());
  });
});

describe("idFromSeed", () => {
  it("gives the same well-formed id for the same seed, a different one for another seed, sortable by time", async () => {
    const a = await idFromSeed("evt", "track:msg-1", 1_700_000_000_000);
    expect(a).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(await idFromSeed("evt", "track:msg-1", 1_700_000_000_000)).toBe(a);
    expect(await idFromSeed("evt", "track:msg-2", 1_700_000_000_000)).not.toBe(a);
    expect(await idFromSeed("evt", "track:msg-1", 1_700_000_000_001)).not.toBe(a);
    expect(a < (await idFromSeed("evt", "track:msg-0", 1_700_000_000_001))).toBe(true);
    // Any number still gives a valid id (a hit's time comes from the queue message).
    for (const at of [-1, Number.NaN, 8.64e15, 1.5]) expect(await idFromSeed("evt", "x", at)).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});
