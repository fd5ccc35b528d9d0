import { afterEach, describe, expect, it } from "vitest";
import { probePostgres } from "../../../scripts/lib/pg-probe.ts";
import { type PgliteServer, startPglite } from "../../../scripts/lib/pglite-server.ts";
import { freePort } from "../../../scripts/lib/ports.ts";
import { simpleQuery } from "../../support/pg-wire.ts";

// TOOLCHAIN.md G3: one protocol-breaking message (here COPY FROM STDIN, which the embedded backend
// cannot feed) kills PGlite's single backend and leaves pglite-socket's queue stuck, so nobody gets
// an answer again. The dev/test harness survives by restarting on the same port with the same data.
let server: PgliteServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function startWithData(hangAfterMs?: number, onEvent?: (msg: string) => void) {
  const port = await freePort();
  server = await startPglite({ port, hangAfterMs, onEvent });
  const setup = await simpleQuery(port, "create table kept (v text); insert into kept values ('survives')");
  expect(setup.errors).toEqual([]);
  expect(await probePostgres(port, 2_000)).toBe(true);
  return server;
}

async function wedge(port: number) {
  const r = await simpleQuery(port, "copy kept from stdin");
  expect(r.closed).toBe(true);
  expect(r.errors.some((e) => e.startsWith("FATAL"))).toBe(true);
  expect(await probePostgres(port, 1_000)).toBe(false);
}

async function expectHealthy(port: number) {
  expect(await probePostgres(port, 2_000)).toBe(true);
  expect((await simpleQuery(port, "select v from kept")).rows).toEqual([["survives"]]);
}

describe("PGlite server watchdog", () => {
  it("restartSocket() brings a wedged server back with its data", async () => {
    const s = await startWithData(60_000); // long probe timeout: the watchdog stays out of the way
    await wedge(s.port);
    await s.restartSocket();
    expect(s.restarts).toBe(1);
    await expectHealthy(s.port);
  });

  it("the watchdog notices the wedge and restarts by itself", async () => {
    const events: string[] = [];
    const s = await startWithData(2_000, (m) => events.push(m));
    expect(s.restarts).toBe(0);
    await wedge(s.port);
    // Checks run every 5 s and give up after hangAfterMs: a restart is due within about 7 s.
    await expect.poll(() => s.restarts, { timeout: 15_000, interval: 250 }).toBeGreaterThan(0);
    expect(events.join("\n")).toMatch(/restarted/);
    await expectHealthy(s.port);
  }, 30_000);
});
