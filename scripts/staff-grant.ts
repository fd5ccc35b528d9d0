/**
 * `npm run staff:grant -- <email> <super_admin|admin|support|qa>`: gives an existing user a
 * PenguinMails staff role (bootstrap for the platform admin routes under /api/v1/platform/*).
 * Uses DATABASE_URL when set, else the embedded database in .data/pglite (stop `npm run dev` first:
 * PGlite opens a data directory from one process at a time).
 */
import { grantStaffRole } from "../workers/staff/service.ts";
import { withScriptDb } from "./lib/script-ctx.ts";

const [email, role] = process.argv.slice(2);
const ROLES = ["super_admin", "admin", "support", "qa"] as const;
if (!email || !ROLES.includes(role as (typeof ROLES)[number])) {
  console.error(`usage: npm run staff:grant -- <email> <${ROLES.join("|")}>`);
  process.exit(2);
}
try {
  const r = await withScriptDb("staff-grant", (ctx) => grantStaffRole(ctx, email, role as (typeof ROLES)[number]));
  console.log(`[staff:grant] ${email} (${r.userId}) is now ${r.role}`);
} catch (err) {
  console.error(`[staff:grant] ${(err as Error).message}`);
  process.exitCode = 1;
}
