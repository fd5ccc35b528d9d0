import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Identity figures inside workerd: argon2id hashing time and the gateway rate limiter's overhead.
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
        },
      },
    })),
  ],
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["bench/auth/auth.bench-test.ts"],
    globalSetup: ["./tests/support/global-setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
