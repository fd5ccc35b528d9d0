import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Tracking hot path vs a bare 204 route, inside workerd, same Worker, same run. Not part of `npm test`.
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          APP_ENV: "test",
          DATABASE_URL: inject("databaseUrl"),
          NEON_WS_PROXY: inject("wsProxy"),
          AUTH_SECRET: "bench-secret-bench-secret-bench-secret-00",
          LOG_LEVEL: "error",
          BENCH_REQUESTS: process.env.BENCH_REQUESTS ?? "5000",
        },
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
