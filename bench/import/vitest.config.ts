import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The import benchmark runs inside workerd with the real Worker (R2 + queue + Neon driver), against
// the database global-setup provides (embedded PGlite, or DATABASE_URL). Not part of `npm test`.
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
          SECRETS_MASTER_KEYS: "b1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
          LOG_LEVEL: "error",
          BENCH_ROWS: process.env.BENCH_ROWS ?? "100000",
          BENCH_DB: inject("dbKind"),
        },
      },
    })),
  ],
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["bench/import/import.bench-test.ts"],
    globalSetup: ["./tests/support/global-setup.ts"],
    testTimeout: 1_800_000,
    hookTimeout: 120_000,
  },
});
