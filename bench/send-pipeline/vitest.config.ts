import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Send-pipeline benchmark: launched campaign → CampaignClock → tick → send queue → consumer → SMTP,
// inside workerd, versus a pooled Node client to the same sink. Not part of `npm test`.
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
          BENCH_MESSAGES: process.env.BENCH_MESSAGES ?? "10000",
          BENCH_MAILBOXES: process.env.BENCH_MAILBOXES ?? "1,10,100",
          BENCH_SMTP_PORT: String(inject("benchSmtpPort")),
          BENCH_COUNT_URL: inject("benchCountUrl"),
          BENCH_BASELINE_URL: inject("benchBaselineUrl"),
          BENCH_BASELINE_SECONDS: String(inject("baselineSeconds")),
          BENCH_DB: inject("dbKind"),
        },
      },
    })),
  ],
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["bench/send-pipeline/send.bench-test.ts"],
    globalSetup: ["./tests/support/global-setup.ts", "./bench/send-pipeline/sink.ts"],
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
  },
});
