import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import worker from "../../workers/app.ts";
import { signTrack } from "../../workers/tracking/token.ts";

/**
 * Requests per second for the open pixel and the click redirect against GET /t/ping (a bare 204 on
 * the same app, same middleware), 50 in flight at a time. Requests go to the Worker's fetch handler
 * with their own execution context, as in production: the response is timed, and the work left in
 * waitUntil (queueing the event) completes afterwards, outside the measurement.
 */
const N = Number((env as unknown as { BENCH_REQUESTS: string }).BENCH_REQUESTS);
const secret = (env as unknown as { AUTH_SECRET: string }).AUTH_SECRET;

async function rate(path: string, expectStatus: number) {
  const concurrency = 50;
  let next = 0;
  const ctxs: ExecutionContext[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < N) {
        next++;
        const ctx = createExecutionContext();
        ctxs.push(ctx);
        const req = new Request(`http://127.0.0.1:8787${path}`, {
          redirect: "manual",
          headers: { "user-agent": "Mozilla/5.0 Chrome/131" },
        });
        const res = await worker.fetch(req as Request<unknown, IncomingRequestCfProperties>, env as unknown as Env, ctx);
        expect(res.status).toBe(expectStatus);
        await res.arrayBuffer();
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  for (const ctx of ctxs) await waitOnExecutionContext(ctx);
  return N / seconds;
}

it(`serves ${N} tracking requests`, async () => {
  const claims = { t: "ten_bench", s: "snd_bench", c: "cmp_bench", at: Date.now() - 3600_000 };
  const pixel = `/t/o/${await signTrack(secret, claims)}`;
  const click = `/t/c/${await signTrack(secret, { ...claims, u: "https://example.com/pricing?a=1" })}`;
  await rate("/t/ping", 204); // warm-up
  const lines = ["", `tracking benchmark (${N} requests per route, 50 in flight, workerd via the vitest plugin)`];
  const base = await rate("/t/ping", 204);
  const px = await rate(pixel, 200);
  const cl = await rate(click, 302);
  const bad = await rate("/t/o/not-a-token", 200);
  lines.push(`  bare 204 route     : ${base.toFixed(0)} req/s`);
  lines.push(`  open pixel         : ${px.toFixed(0)} req/s  ratio ${(px / base).toFixed(2)}x (target >= 0.85x)`);
  lines.push(`  click redirect     : ${cl.toFixed(0)} req/s  ratio ${(cl / base).toFixed(2)}x`);
  lines.push(`  malformed token    : ${bad.toFixed(0)} req/s  (placeholder GIF, never an error)`);
  console.log(`${lines.join("\n")}\n`);
});
