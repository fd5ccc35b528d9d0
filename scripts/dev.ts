/**
 * `npm run dev`: database (embedded PGlite under .data/, or DATABASE_URL) → WebSocket proxy for
 * the Neon driver → migrations → vendor fakes (Hostwinds, MailU, Cloudflare DNS + DoH) and the fake
 * node agent → demo seed → the dashboard/API dev server on 127.0.0.1:8787 → on first start, a demo
 * node provisioning run and a launched demo campaign (delivering to a local SMTP sink).
 * Ctrl-C stops everything it started.
 *
 * PM_REAL_VENDORS=1 starts no fakes: the vendor variables below are then passed through from the
 * environment when set (HOSTWINDS_API_KEY=… PM_REAL_VENDORS=1 npm run dev).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { ConfigError } from "../workers/platform/config.ts";
import { startAllFakes } from "./fakes/index.ts";
import { type FakeNodeAgent, startFakeNodeAgent } from "./fakes/node-agent.ts";
import { startDbStack } from "./lib/db-stack.ts";
import { demoApi } from "./lib/demo-api.ts";
import { seedDemoOutreach, startDemoSmtpSink } from "./lib/demo-outreach.ts";
import { devMasterKeys, devSecret } from "./lib/dev-secret.ts";
import { migrateDatabase } from "./lib/migrate.ts";
import { scriptCtx } from "./lib/script-ctx.ts";
import { DEMO, seedDemo } from "./lib/seed.ts";
import { wranglerVars } from "./lib/wrangler-vars.ts";

const PORT = 8787;
/** Zones the fake Cloudflare account holds: the demo data's sending domains. */
const DEV_ZONES = ["acme-outreach.test", "demo-agency.test"];
/** Worker variables that point the integrations at a vendor (a fake, or the real one with PM_REAL_VENDORS=1). */
const VENDOR_VARS = ["HOSTWINDS_API_URL", "HOSTWINDS_API_KEY", "MAILU_API_URL", "CLOUDFLARE_API_URL", "DOH_URL"] as const;
const useFakes = process.env.PM_REAL_VENDORS !== "1";
const started = Date.now();
const say = (msg: string) => console.log(`[dev] ${msg}`);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

const stack = await startDbStack({
  databaseUrl: process.env.DATABASE_URL || undefined,
  ownerUrl: process.env.DATABASE_OWNER_URL || undefined,
  dataDir: ".data/pglite",
  onEvent: (m) => say(m),
});
let child: ChildProcess | null = null;
let fakes: Awaited<ReturnType<typeof startAllFakes>> | null = null;
let agent: FakeNodeAgent | null = null;
let sink: Awaited<ReturnType<typeof startDemoSmtpSink>> | null = null;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say("stopping…");
  await agent?.close().catch(() => {});
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  await fakes?.close().catch(() => {});
  await sink?.close().catch(() => {});
  await stack.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  say(stack.kind === "pglite" ? "embedded PGlite database in .data/pglite" : `PostgreSQL at ${redact(stack.appUrl)}`);
  await migrateDatabase(stack.ownerUrl, stack.wsProxy);
  say(`migrations applied (${elapsed()})`);

  // Vendor fakes: real HTTP servers speaking each vendor's API (scripts/fakes/), and the fake node
  // agent standing in for the software on each VPS (it bootstraps against this Worker and heartbeats).
  const vendorVars: Partial<Record<(typeof VENDOR_VARS)[number], string>> = {};
  if (useFakes) {
    // Stable zone ids (real ones are 32 hex digits), so ids stored in the database survive a restart.
    const zoneId = (name: string) => createHash("sha256").update(`dev-zone:${name}`).digest("hex").slice(0, 32);
    fakes = await startAllFakes({ cloudflareZones: DEV_ZONES.map((name) => ({ name, id: zoneId(name) })) });
    agent = startFakeNodeAgent({ hostwinds: fakes.hostwinds, mailu: fakes.mailu, log: (m) => say(`node agent: ${m}`) });
    Object.assign(vendorVars, {
      HOSTWINDS_API_URL: fakes.hostwinds.url,
      HOSTWINDS_API_KEY: fakes.hostwinds.apiKey,
      // One MailU fake stands in for every node's admin API.
      MAILU_API_URL: fakes.mailu.url,
      CLOUDFLARE_API_URL: fakes.cloudflare.url,
      DOH_URL: fakes.cloudflare.dohUrl,
    });
    say("vendor fakes started (PM_REAL_VENDORS=1 to use real vendors)");
  } else {
    for (const k of VENDOR_VARS) if (process.env[k]) vendorVars[k] = process.env[k];
    say("PM_REAL_VENDORS=1: no vendor fakes");
  }

  const vars: Record<string, string> = {
    ...wranglerVars(),
    APP_ENV: "development",
    DATABASE_URL: stack.appUrl,
    NEON_WS_PROXY: stack.wsProxy,
    AUTH_SECRET: process.env.AUTH_SECRET || devSecret(".data/dev-secret"),
    SECRETS_MASTER_KEYS: process.env.SECRETS_MASTER_KEYS || devMasterKeys(".data/dev-master-keys"),
    LOG_LEVEL: process.env.LOG_LEVEL || "info",
    ...vendorVars,
  };
  // Where the demo's own mailboxes deliver: a local SMTP sink that accepts and drops (scripts/fakes).
  const demoSink = await startDemoSmtpSink((m) => say(m));
  sink = demoSink;
  const { ctx, pending } = scriptCtx(vars, "dev-seed");
  const seeded = await seedDemo(ctx);
  await Promise.all(pending);
  await ctx.dispose();
  say(seeded.created ? "demo data seeded" : "demo data already present");

  // .dev.vars wins over --var (TOOLCHAIN.md G11), so it is rewritten on every start.
  const devVars = ["APP_ENV", "DATABASE_URL", "NEON_WS_PROXY", "AUTH_SECRET", "SECRETS_MASTER_KEYS", "LOG_LEVEL", ...VENDOR_VARS];
  const lines = devVars.filter((k) => vars[k] !== undefined).map((k) => `${k}=${vars[k]}`);
  writeFileSync(".dev.vars", `${lines.join("\n")}\n`, { mode: 0o600 });

  child = spawn("react-router", ["dev", "--host", "127.0.0.1", "--port", String(PORT), "--strictPort"], {
    stdio: ["inherit", "inherit", "inherit"],
    env: process.env,
  });
  child.on("exit", (code) => {
    if (!stopping) {
      say(`dev server exited (${code}); stopping`);
      void shutdown(code ?? 1);
    }
  });
  await waitForHealth(`http://127.0.0.1:${PORT}/api/health`, 90_000);
  if (fakes) await provisionDemoNode(fakes.cloudflare.token).catch((err: Error) => say(`demo provisioning not started: ${err.message}`));
  await seedDemoOutreach({ base: `http://127.0.0.1:${PORT}`, sink: demoSink, say }).catch((err: Error) =>
    say(`demo campaign not started: ${err.message}`),
  );
  console.log(
    [
      "",
      "  PenguinMails is running",
      `  Dashboard  http://127.0.0.1:${PORT}`,
      `  API        http://127.0.0.1:${PORT}/api/health`,
      `  Demo login ${DEMO.email} / ${DEMO.password}`,
      ...(fakes
        ? [
            "",
            "  Vendor fakes (in memory; PM_REAL_VENDORS=1 to use real vendors)",
            `  Hostwinds  ${fakes.hostwinds.url}`,
            `  MailU      ${fakes.mailu.url}  (every node's admin API)`,
            `  Cloudflare ${fakes.cloudflare.url}  (zones ${DEV_ZONES.join(", ")})`,
            `  DoH        ${fakes.cloudflare.dohUrl}`,
            "  Node agent bootstraps each active fake VPS, then heartbeats every 30 s",
          ]
        : []),
      "",
      `  Ready in ${elapsed()}. Ctrl-C stops everything.`,
      "",
    ].join("\n"),
  );
} catch (err) {
  if (err instanceof ConfigError) console.error(`[dev] ${err.message}`);
  else console.error("[dev] failed to start:", err);
  await shutdown(1);
}

/**
 * First start with the fakes: the demo organization gets its sending infrastructure the way a
 * customer would — a real provisioning run through the API (Workflow → fake Hostwinds → fake node
 * agent → fake MailU → fake Cloudflare DNS), visible live under Infrastructure. Skipped once the
 * demo has any node or run (the fakes keep no state across restarts; the database does).
 */
async function provisionDemoNode(cloudflareToken: string) {
  const api = await demoApi(`http://127.0.0.1:${PORT}`);
  const [runs, nodes, workspaces] = await Promise.all([
    api.get("/api/v1/provisioning-runs"),
    api.get("/api/v1/nodes"),
    api.get("/api/v1/workspaces"),
  ]);
  if (runs.items?.length || nodes.items?.length) return;
  const zone = "acme-outreach.test";
  const run = await api.send("POST", "/api/v1/provisioning-runs", {
    workspaceId: workspaces.items[0].id,
    domain: `outreach.${zone}`,
    size: "small",
    mailboxes: [
      { localPart: "alex", fromName: "Alex Rivera" },
      { localPart: "jordan", fromName: "Jordan Lee" },
    ],
    cloudflare: { zoneId: createHash("sha256").update(`dev-zone:${zone}`).digest("hex").slice(0, 32), apiToken: cloudflareToken },
  });
  say(`demo node provisioning started: http://127.0.0.1:${PORT}/infrastructure/runs/${run.id}`);
}

async function waitForHealth(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      const body = (await res.json()) as { db?: string };
      if (res.ok && body.db === "up") return;
    } catch {
      // server still starting
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`dev server did not report a healthy database at ${url} within ${timeoutMs / 1000}s`);
}

function redact(url: string) {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}
