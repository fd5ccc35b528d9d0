import { defineConfig } from "drizzle-kit";

// Generation only: migrations are applied by scripts/db-migrate.ts through the Neon driver.
export default defineConfig({
  dialect: "postgresql",
  schema: "./workers/**/tables.ts",
  out: "./migrations",
  casing: "snake_case",
  entities: { roles: true },
});
