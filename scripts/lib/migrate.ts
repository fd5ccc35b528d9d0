import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/neon-serverless/migrator";
import { createDb } from "../../workers/platform/db.ts";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations", import.meta.url));

/** Applies pending migrations as the owner, through the same Neon driver the Worker uses. */
export async function migrateDatabase(ownerUrl: string, wsProxy: string | undefined): Promise<void> {
  const h = createDb({ DATABASE_URL: ownerUrl, NEON_WS_PROXY: wsProxy });
  try {
    await migrate(h.db, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await h.close();
  }
}

/**
 * On a real server, provisions a LOGIN role that is a member of pm_app and returns a URL for it, so
 * the app connects as a non-owner exactly as in production. The password is for local servers only.
 */
export async function ensureAppLogin(ownerUrl: string, wsProxy: string, role = "pm_app_login"): Promise<string> {
  const h = createDb({ DATABASE_URL: ownerUrl, NEON_WS_PROXY: wsProxy });
  try {
    await h.db.execute(
      sql.raw(`DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN
          CREATE ROLE ${role} LOGIN PASSWORD '${role}' NOSUPERUSER NOBYPASSRLS INHERIT;
        END IF;
      END $$`),
    );
    await h.db.execute(sql.raw(`GRANT pm_app TO ${role}`));
  } finally {
    await h.close();
  }
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = role;
  return u.toString();
}
