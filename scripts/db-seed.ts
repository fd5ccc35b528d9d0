/** `npm run db:seed`: the demo tenant and login (idempotent), on DATABASE_URL or the embedded database. */
import { withScriptDb } from "./lib/script-ctx.ts";
import { DEMO, seedDemo } from "./lib/seed.ts";

const r = await withScriptDb("db-seed", seedDemo);
console.log(`[db:seed] ${r.created ? "created" : "already present"}: ${DEMO.email} / ${DEMO.password}`);
