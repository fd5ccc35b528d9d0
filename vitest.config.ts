import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Two projects (ARCHITECTURE.md §4.5): `node` for unit/integration/api tests through the same Neon
// driver path, `workers` for what only workerd has (entry routing, DOs, queues, sockets).
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
          include: ["tests/{unit,integration,api}/**/*.test.ts"],
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
                LOG_LEVEL: "error",
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["tests/runtime/**/*.test.ts"],
          globalSetup,
          testTimeout: 20_000,
        },
      },
    ],
  },
});
