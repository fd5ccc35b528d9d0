import { sql } from "drizzle-orm";
import { signUp } from "../../workers/auth/sign-up.ts";
import type { Ctx } from "../../workers/platform/context.ts";
import { runInTx } from "../../workers/platform/db.ts";

/** The demo login printed by `npm run dev`. Local data only; never seeded in production. */
export const DEMO = {
  name: "Demo Owner",
  email: "demo@penguinmails.test",
  password: "penguin-demo-2026",
  company: "Demo Agency",
} as const;

/** Idempotent: creates the demo tenant, workspace and owner once, through the real sign-up verb. */
export async function seedDemo(ctx: Ctx): Promise<{ created: boolean }> {
  const existing = await runInTx(ctx.db, { tenantId: null }, (tx) =>
    tx.execute(sql`select 1 from users where lower(email) = ${DEMO.email}`),
  );
  if (existing.rows.length > 0) return { created: false };
  await signUp(ctx, DEMO, { verified: true });
  return { created: true };
}
