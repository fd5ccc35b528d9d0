import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Two projects (ARCHITECTURE.md §4.5): `node` for unit/integration tests through the same Neon
// driver path; `workers` for HTTP (tests/api, through the real entry with its Durable Objects)
// and what only workerd has (tests/runtime: DOs, queues, sockets).
// tests/support/global-setup.ts provides the database (embedded PGlite or DATABASE_URL).
const globalSetup = ["./tests/support/global-setup.ts"];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { "~": new URL("./web", import.meta.url).pathname } },
        test: {
          name: "node",
          environment: "node",
          include: ["tests/{unit,integration}/**/*.test.ts"],
          globalSetup,
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                APP_ENV: "test",
                DATABASE_URL: inject("databaseUrl"),
                NEON_WS_PROXY: inject("wsProxy"),
                AUTH_SECRET: "test-secret-test-secret-test-secret-0000",
                SECRETS_MASTER_KEYS: "t1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                LOG_LEVEL: "error",
                // Not SMTP_RELAY_URL: by default platform mail is captured; tests that send set it per call.
                TEST_SMTP_PORT: String(inject("smtpPort")),
                DOH_URL: inject("dohUrl"),
                CLOUDFLARE_API_URL: inject("cloudflareUrl"),
                MAILU_API_URL: inject("mailuUrl"),
                HOSTWINDS_API_URL: inject("hostwindsUrl"),
                HOSTWINDS_API_KEY: "test-hostwinds-key",
                INBOUND_DOMAIN: "inbound.penguinmails.test",
                TRACKING_CNAME_TARGET: "track.penguinmails.test",
                TEST_SMTP_LOG_URL: inject("smtpLogUrl"),
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["tests/{runtime,api}/**/*.test.ts"],
          globalSetup,
          testTimeout: 20_000,
        },
      },
    ],
  },
});
