import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import worker from "../../workers/app.ts";
import { type Leg, legs } from "./targets.ts";

/**
 * The tracking hot path under concurrent load, against a bare 204 route, in one workerd and one run.
 *
 * Five legs go through the Worker's own fetch() (host check, Hono router, the same place in the
 * routing table), each request with its own execution context as in production:
 *   - bare 204:          GET /t/ping — registered only in a vitest build and answered only with
 *                        APP_ENV=test (workers/api/tracking.ts), so production routing never has it;
 *   - open pixel:        GET /t/o/<token>.gif, a different signed token per send;
 *   - click redirect:    GET /t/c/<token>, a different signed token (and target URL) per send;
 *   - malformed tokens:  tampered, foreign-key, wrong-shape, oversized and garbage tokens on both routes;
 *   - pixel + body read: the pixel leg with the client also reading the GIF in JS (see runLeg).
 * The client does the same for every leg — build the Request, call fetch, compare the status — and
 * every response is checked in full once before timing (GIF bytes, Location, no redirect on a 404).
 * Each round runs every leg for BENCH_REQUESTS requests with BENCH_CONCURRENCY in flight; the leg
 * order rotates every round, so machine noise (the other benchmark sharing the 2 cores, GC, the
 * PGlite process) falls on every route alike. The ratio is the route's rate over the bare route's,
 * over all rounds and per round (each round's legs ran within a second of each other).
 *
 * Timing covers the response; the work each request leaves in waitUntil (the buffered sendBatch to
 * the events queue) runs concurrently with later requests of the same leg and is drained before
 * the next leg starts, so it never lands on another route. The events queue has no consumer in
 * this run (vitest.config.ts): in production the consumer is a separate invocation, and here its
 * database writes would slow whichever leg happens to run next.
 *
 * workerd's clock has 1 ms resolution, so p50/p99 are whole milliseconds; each request's latency
 * includes waiting behind the other requests in flight. Last results, and what limits the ratio:
 * bench/README.md.
 */
const cfg = env as unknown as Record<string, string>;
const REQUESTS = Number(cfg.BENCH_REQUESTS);
const ROUNDS = Number(cfg.BENCH_ROUNDS);
const CONCURRENCY = Number(cfg.BENCH_CONCURRENCY);
const SECRET = cfg.AUTH_SECRET!;
const ORIGIN = "http://127.0.0.1:8787";
const HEADERS = { "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36" };

interface Sample {
  seconds: number;
  latencies: Float64Array;
}

const request = (path: string, ctx: ExecutionContext) =>
  worker.fetch(
    new Request(`${ORIGIN}${path}`, { redirect: "manual", headers: HEADERS }) as Request<unknown, IncomingRequestCfProperties>,
    env as unknown as Env,
    ctx,
  );

/** Every target once, each response checked in full; timed rounds compare the status only. */
async function checkFully(leg: Leg) {
  const ctxs: ExecutionContext[] = [];
  await Promise.all(
    leg.targets.map(async (t) => {
      const ctx = createExecutionContext();
      ctxs.push(ctx);
      const res = await request(t.path, ctx);
      const body = new Uint8Array(await res.arrayBuffer());
      expect(res.status, `${leg.name} ${t.path.slice(0, 80)}`).toBe(t.status);
      if (t.status === 200) expect([res.headers.get("content-type"), body.length, body[0]]).toEqual(["image/gif", 42, 0x47]); // "GIF89a"
      if (t.status === 302) expect(res.headers.get("location")).toBe(t.location);
      if (t.status === 404) expect(res.headers.get("location")).toBeNull();
    }),
  );
  await Promise.all(ctxs.map((c) => waitOnExecutionContext(c)));
}

/**
 * One leg: REQUESTS requests, CONCURRENCY in flight. The client does the same work for every route
 * (build the Request, call fetch, look at the status); only the "+ body read" leg also reads the
 * body in JS, to show what that costs here (a remote client's read is not the Worker's CPU).
 */
async function runLeg(leg: Leg, tally: Tally): Promise<Sample> {
  const latencies = new Float64Array(REQUESTS);
  const ctxs: ExecutionContext[] = new Array(REQUESTS);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const target = leg.targets[i % leg.targets.length]!;
        const ctx = createExecutionContext();
        ctxs[i] = ctx;
        const start = performance.now();
        const res = await request(target.path, ctx);
        if (leg.readBody) await res.arrayBuffer();
        latencies[i] = performance.now() - start;
        tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
        if (res.status !== target.status) tally.unexpected++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(ctxs.map((c) => waitOnExecutionContext(c))); // drain this leg's enqueues before the next leg
  return { seconds, latencies };
}

interface Tally {
  statuses: Map<number, number>;
  unexpected: number;
}

const pct = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const int = (n: number) => Math.round(n).toLocaleString("en-US");

it(`tracking routes vs a bare 204 route (${ROUNDS} rounds × ${REQUESTS} requests, ${CONCURRENCY} in flight)`, async () => {
  const all = await legs(SECRET);
  for (const leg of all) await checkFully(leg);
  for (const leg of all) await runLeg(leg, { statuses: new Map(), unexpected: 0 }); // warm-up: JIT, key import

  const tallies: Tally[] = all.map(() => ({ statuses: new Map(), unexpected: 0 }));
  const samples: Sample[][] = all.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < all.length; k++) {
      const li = (k + r) % all.length; // rotate: every leg runs first, second … equally often
      samples[li]!.push(await runLeg(all[li]!, tallies[li]!));
    }
  }

  const rateOf = (s: Sample) => REQUESTS / s.seconds;
  const total = (ss: Sample[]) => (REQUESTS * ss.length) / ss.reduce((a, s) => a + s.seconds, 0);
  const base = total(samples[0]!);
  const lines = [
    "",
    `tracking benchmark: workerd via the vitest plugin; ${ROUNDS} rounds × ${int(REQUESTS)} requests per route, ${CONCURRENCY} in flight, leg order rotating each round`,
    `  ${"route".padEnd(18)} ${"req/s".padStart(7)}  ${"per round".padEnd(16)} ${"µs/req".padStart(6)} ${"extra".padStart(6)} ${"p50".padStart(4)} ${"p99".padStart(5)}   ratio vs bare 204: all rounds (per round min / median / max)`,
  ];
  for (const [li, leg] of all.entries()) {
    const ss = samples[li]!;
    const rates = ss.map(rateOf);
    const lat = new Float64Array(ss.length * REQUESTS);
    for (const [r, s] of ss.entries()) lat.set(s.latencies, r * REQUESTS);
    lat.sort();
    const perRound = ss.map((s, r) => rateOf(s) / rateOf(samples[0]![r]!));
    const ratio =
      li === 0
        ? ""
        : `${(total(ss) / base).toFixed(2)}x (${Math.min(...perRound).toFixed(2)} / ${median(perRound).toFixed(2)} / ${Math.max(...perRound).toFixed(2)})`;
    lines.push(
      [
        `  ${leg.name.padEnd(18)}`,
        int(total(ss)).padStart(7),
        ` ${`${int(Math.min(...rates))}–${int(Math.max(...rates))}`.padEnd(16)}`,
        (1e6 / total(ss)).toFixed(1).padStart(6),
        (li === 0 ? "" : `+${(1e6 / total(ss) - 1e6 / base).toFixed(1)}`).padStart(6),
        `${pct(lat, 0.5)}ms`.padStart(4),
        `${pct(lat, 0.99)}ms`.padStart(5),
        `  ${ratio}`,
      ].join(" "),
    );
  }
  const fivexx = tallies.reduce((a, t) => a + [...t.statuses].filter(([s]) => s >= 500).reduce((b, [, n]) => b + n, 0), 0);
  lines.push(
    "  target: open pixel and click redirect >= 0.85x; µs/req = 1 / rate (CPU time per request on this isolate), extra = over the bare route",
    `  statuses: ${all.map((l, i) => `${l.name} ${[...tallies[i]!.statuses].map(([s, n]) => `${s}×${int(n)}`).join(" ")}`).join("; ")}`,
    `  malformed leg: ${all[3]!.targets.length} distinct bad tokens; 5xx responses in all legs: ${fivexx}`,
    "",
  );
  console.log(lines.join("\n"));
  expect(fivexx).toBe(0);
  expect(tallies.map((t) => t.unexpected)).toEqual(all.map(() => 0));
});
