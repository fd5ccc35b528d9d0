import { describe, expect, it } from "vitest";
import { MAX_SESSIONS, MAX_SESSIONS_PER_MAILBOX, sessionChunks } from "../../../workers/sending/sessions.ts";

const items = (n: number) => Array.from({ length: n }, (_, i) => i);
const sizes = (jobs: [string, number[]][]) => jobs.map(([id, c]) => `${id}:${c.length}`);

describe("sessionChunks", () => {
  it("gives a lone busy mailbox several sessions, never more than the per-mailbox cap", () => {
    const jobs = sessionChunks([["a", items(100)]]);
    expect(jobs).toHaveLength(MAX_SESSIONS_PER_MAILBOX);
    expect(jobs.flatMap(([, c]) => c)).toEqual(items(100));
  });

  it("keeps a small group in one session: connecting again costs more than it saves", () => {
    expect(sizes(sessionChunks([["a", items(9)]]))).toEqual(["a:9"]);
    expect(sizes(sessionChunks([["a", items(16)]]))).toEqual(["a:8", "a:8"]);
  });

  it("uses one session per mailbox once mailboxes fill the slots, and loses or repeats nothing", () => {
    const groups: [string, number[]][] = Array.from({ length: MAX_SESSIONS + 2 }, (_, i) => [`m${i}`, items(40)]);
    const jobs = sessionChunks(groups);
    expect(jobs).toHaveLength(groups.length);
    expect(jobs.flatMap(([, c]) => c)).toHaveLength(40 * groups.length);
  });

  it("splits evenly across two mailboxes sharing five slots", () => {
    expect(
      sizes(
        sessionChunks([
          ["a", items(50)],
          ["b", items(50)],
        ]),
      ),
    ).toEqual(["a:25", "a:25", "b:25", "b:25"]);
  });
});
