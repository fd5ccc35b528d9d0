import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Tracking hot path vs a bare 204 route, inside workerd, same Worker, same run. Not part of `npm test`.
// Run it as `flock /tmp/bench.lock npm run bench:tracking` so it never overlaps another benchmark.
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          // The bare 204 baseline (/t/ping) answers only in a vitest build with APP_ENV=test.
          APP_ENV: "test",
          DATABASE_URL: inject("databaseUrl"),
          NEON_WS_PROXY: inject("wsProxy"),
          AUTH_SECRET: "bench-secret-bench-secret-bench-secret-00",
          LOG_LEVEL: "error",
          BENCH_REQUESTS: process.env.BENCH_REQUESTS ?? "2000",
          BENCH_ROUNDS: process.env.BENCH_ROUNDS ?? "30",
          BENCH_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? "50",
        },
        // The routes still sendBatch every hit (timed), but to a queue nobody consumes: in production
        // the consumer's database writes run in their own invocation, and here they would land on
        // whichever leg runs next.
        queueProducers: { EVENTS_QUEUE: { queueName: "pm-events-bench" } },
      },
    })),
  ],
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["bench/tracking/tracking.bench-test.ts"],
    globalSetup: ["./tests/support/global-setup.ts"],
    testTimeout: 600_000,
  },
});
