import { describe, expect, it } from "vitest";
import { terminateWatcher } from "../../../scripts/lib/ws-proxy.ts";
import { frontend, query, sslRequest, startupMessage, terminate } from "../../support/pg-wire.ts";

// The ws proxy closes TCP when the client sends Terminate, because pglite-socket never does (G1).
// A false positive would cut a live connection, so the watcher must follow message framing.

/** Feeds chunks to a fresh watcher; returns what it answered for each. */
const feed = (chunks: Buffer[]) => {
  const watch = terminateWatcher();
  return chunks.map((c) => watch(c));
};

const cut = (buf: Buffer, points: number[]) => [0, ...points].map((p, i) => buf.subarray(p, points[i] ?? buf.length));

// 'X' bytes at several offsets inside the query, one right after the Query header.
const session = Buffer.concat([startupMessage(), query("XSELECT 'X' AS x"), terminate()]);

describe("terminateWatcher", () => {
  it("fires on Terminate right after the startup message", () => {
    expect(feed([startupMessage(), terminate()])).toEqual([false, true]);
    expect(feed([Buffer.concat([startupMessage(), terminate()])])).toEqual([true]);
  });

  it("fires only at the end for every two-way split of a session", () => {
    for (let i = 1; i < session.length; i++) {
      expect(feed(cut(session, [i])), `split at ${i}`).toEqual([false, true]);
    }
  });

  it("fires only at the end for every three-way split and byte by byte", () => {
    for (let i = 1; i < session.length - 1; i++) {
      for (let j = i + 1; j < session.length; j++) {
        expect(feed(cut(session, [i, j])), `split at ${i},${j}`).toEqual([false, false, true]);
      }
    }
    const bytes = [...session].map((b) => Buffer.from([b]));
    const answers = feed(bytes);
    expect(answers.indexOf(true)).toBe(bytes.length - 1);
  });

  it("fires after an SSLRequest followed by the real startup message", () => {
    expect(feed([sslRequest(), startupMessage(), terminate()])).toEqual([false, false, true]);
    const stream = Buffer.concat([sslRequest(), startupMessage(), query("select 1"), terminate()]);
    for (let i = 1; i < stream.length; i++) {
      expect(feed(cut(stream, [i])), `split at ${i}`).toEqual([false, true]);
    }
  });

  it("does not fire on 'X' bytes inside a message, wherever the chunks break", () => {
    // A Bind whose binary parameter holds a complete-looking Terminate: X 00 00 00 04.
    const bind = frontend("B", Buffer.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 5, 0x58, 0, 0, 0, 4, 0, 0]));
    const stream = Buffer.concat([startupMessage("X", "XX"), query("XXXX"), bind, query("select 'X'")]);
    expect(feed([stream])).toEqual([false]);
    for (let i = 1; i < stream.length; i++) {
      expect(feed(cut(stream, [i])), `split at ${i}`).toEqual([false, false]);
    }
  });
});
