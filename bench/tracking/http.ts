/**
 * The tracking routes under HTTP load: the production build of the Worker (built in test mode, so
 * the bare 204 baseline `/t/ping` exists) served by one workerd on its own socket (Miniflare's
 * `unsafeDirectSockets`: no wrangler dev proxy, no Miniflare entry worker) and driven by wrk over loopback with 50 connections. Legs: bare 204, open pixel, click
 * redirect, malformed tokens (bench/tracking/targets.ts, the same requests as the in-isolate bench);
 * every leg's paths rotate through 1,000 distinct tokens, the order of legs rotates every round, and
 * each response's status class is counted (no 5xx anywhere; pixels 2xx, clicks 3xx, bad tokens 2xx/4xx).
 *
 *   flock /tmp/bench.lock npm run bench:tracking:http   (needs wrk: apt-get install wrk)
 *   BENCH_ROUNDS (default 8), BENCH_SECONDS per leg and round (default 5), BENCH_CONNECTIONS (50),
 *   BENCH_NO_ASSETS=1 (the Worker alone, without the static-asset routing in front of it)
 *
 * The events queue has no consumer here (as in the in-isolate bench): the routes still sendBatch
 * every hit, but the consumer's database writes would land on whichever leg runs next.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { legs } from "./targets.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECRET = "bench-secret-bench-secret-bench-secret-00";
const UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36";
const work = `${process.cwd()}/.tmp/bench-tracking-http`;

try {
  execFileSync("wrk", ["--version"], { stdio: "ignore" });
} catch (err) {
  // wrk prints its version and exits 1; only a missing binary is an error.
  if ((err as NodeJS.ErrnoException).code === "ENOENT") {
    console.error("bench:tracking:http needs wrk (apt-get install wrk)");
    process.exit(1);
  }
}

// 1. The production bundle in test mode, moved out of build/ so a deploy never picks it up.
rmSync(work, { recursive: true, force: true });
mkdirSync(`${process.cwd()}/.tmp`, { recursive: true });
execFileSync("npx", ["react-router", "build", "--mode", "test"], { stdio: "ignore" });
renameSync("build", work);
const root = `${work}/server`;
const config = JSON.parse(readFileSync(`${root}/wrangler.json`, "utf8"));
config.queues.consumers = [];
config.queues.producers = config.queues.producers.map((p: { binding: string; queue: string }) =>
  p.binding === "EVENTS_QUEUE" ? { ...p, queue: "pm-events-bench" } : p,
);
config.triggers = { crons: [] };
// BENCH_NO_ASSETS=1: the Worker alone on the socket. By default the socket is what `wrangler dev`
// serves and Cloudflare runs: static-asset routing in front of the Worker (Miniflare's router,
// asset and RPC-proxy workers, in the same workerd thread), which every request crosses and every
// response body is piped back through.
const noAssets = process.env.BENCH_NO_ASSETS === "1";
if (noAssets) delete config.assets;
writeFileSync(`${root}/wrangler.bench.json`, JSON.stringify(config));

// 2. One workerd, through Miniflare's own HTTP entry.
const { workerOptions } = unstable_getMiniflareWorkerOptions(`${root}/wrangler.bench.json`);
const mf = new Miniflare(
  convertV4MiniflareOptions({
    ...(workerOptions as object),
    queueConsumers: undefined,
    // The Worker on its own socket: requests reach it straight from workerd's HTTP server, without
    // Miniflare's entry worker (which pipes bodies through JS and would tax the pixel's GIF).
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    modulesRoot: root,
    modules: [
      { type: "ESModule", path: `${root}/index.js` },
      ...readdirSync(`${root}/assets`)
        .filter((f) => f.endsWith(".js") || f.endsWith(".wasm"))
        .map((f) => ({ type: f.endsWith(".js") ? ("ESModule" as const) : ("CompiledWasm" as const), path: `${root}/assets/${f}` })),
    ],
    bindings: {
      ...((workerOptions as { bindings?: Record<string, unknown> }).bindings ?? {}),
      APP_ENV: "test",
      LOG_LEVEL: "error",
      AUTH_SECRET: SECRET,
      // Never connected to: the tracking routes answer without a database.
      DATABASE_URL: "postgres://bench:bench@127.0.0.1:1/bench",
    },
    host: "127.0.0.1",
    port: 0,
    // Otherwise Miniflare reports every request to Node over its loopback, on every leg alike.
    logRequests: false,
  } as Parameters<typeof convertV4MiniflareOptions>[0]),
);

const LUA = `
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local i = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) s2, s3, s4, s5 = 0, 0, 0, 0 end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["User-Agent"] = "${UA}" })
end
function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1 elseif status >= 400 then s4 = s4 + 1 elseif status >= 300 then s3 = s3 + 1 else s2 = s2 + 1 end
end
function done(summary, latency, requests)
  local t = { 0, 0, 0, 0 }
  for _, th in ipairs(threads) do
    t[1] = t[1] + th:get("s2"); t[2] = t[2] + th:get("s3"); t[3] = t[3] + th:get("s4"); t[4] = t[4] + th:get("s5")
  end
  io.write(string.format("STATUS %d %d %d %d\\n", t[1], t[2], t[3], t[4]))
  io.write(string.format("P50 %d P99 %d\\n", latency:percentile(50), latency:percentile(99)))
end
`;

interface Run {
  rate: number;
  /** workerd's CPU time (user + system, every thread) per request during the leg, in µs. */
  cpuUs: number;
  requests: number;
  seconds: number;
  status: [number, number, number, number];
  p50us: number;
  p99us: number;
  /** wrk's own count of responses outside 2xx/3xx (the Lua callback misses header-less 204s). */
  other: number;
}

/** The workerd process Miniflare started (a child of this process), for its CPU time. */
function workerdPid(): number {
  const pid = execFileSync("pgrep", ["-P", String(process.pid), "workerd"], { encoding: "utf8" })
    .trim()
    .split("\n")[0];
  if (!pid) throw new Error("workerd process not found");
  return Number(pid);
}
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
/** utime + stime of a process, all threads, in µs (/proc/<pid>/stat fields 14 and 15). */
function cpuTimeUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
}

function runLeg(url: string, pathsFile: string, pid: number): Run {
  const cpu0 = cpuTimeUs(pid);
  const out = execFileSync("wrk", ["-t1", `-c${CONNECTIONS}`, `-d${SECONDS}s`, "-s", `${work}/paths.lua`, url], {
    env: { ...process.env, BENCH_PATHS: pathsFile },
    encoding: "utf8",
  });
  const m = /(\d+) requests in ([\d.]+)(m?s)/.exec(out)!;
  const requests = Number(m[1]);
  const seconds = Number(m[2]) / (m[3] === "ms" ? 1000 : 1);
  const st = /STATUS (\d+) (\d+) (\d+) (\d+)/.exec(out)!.slice(1).map(Number) as Run["status"];
  const lat = /P50 (\d+) P99 (\d+)/.exec(out)!.slice(1).map(Number);
  const other = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return {
    rate: requests / seconds,
    cpuUs: (cpuTimeUs(pid) - cpu0) / requests,
    requests,
    seconds,
    status: st,
    p50us: lat[0]!,
    p99us: lat[1]!,
    other,
  };
}

try {
  await mf.ready;
  const url = (await mf.unsafeGetDirectURL()).toString().replace(/\/$/, "");
  writeFileSync(`${work}/paths.lua`, LUA);
  const base = (await legs(SECRET)).filter((l) => !l.readBody);
  const pixelLeg = base.find((l) => l.name === "open pixel")!;
  // Control: the bare route with a request as long as a pixel's (the token moved into a query
  // string the route ignores). It runs at ~1.0x, so the size of a tracking request is not what
  // the ratio measures: the route's own work is.
  const pixelLen = pixelLeg.targets[0]!.path.length;
  const control = pixelLeg.targets.map((_, i) => ({ path: `/t/ping?${"x".repeat(pixelLen - 8 - String(i).length)}${i}`, status: 204 }));
  const all = [...base, { name: "bare, pixel-length", targets: control }];
  const files = all.map((leg, i) => {
    const file = `${work}/paths-${i}.txt`;
    writeFileSync(file, `${leg.targets.map((t) => t.path).join("\n")}\n`);
    return file;
  });
  // Every target once, status checked, before anything is timed.
  for (const leg of all)
    for (const t of leg.targets) {
      const res = await fetch(`${url}${t.path}`, { redirect: "manual", headers: { "user-agent": UA } });
      await res.arrayBuffer();
      if (res.status !== t.status) throw new Error(`${leg.name} ${t.path.slice(0, 80)}: ${res.status}, expected ${t.status}`);
    }
  const pid = workerdPid();
  const runs: Run[][] = all.map(() => []);
  for (let r = 0; r < ROUNDS; r++)
    for (let k = 0; k < all.length; k++) {
      const i = (k + r) % all.length;
      runs[i]!.push(runLeg(url, files[i]!, pid));
    }
  const total = (rs: Run[]) => rs.reduce((a, b) => a + b.requests, 0) / rs.reduce((a, b) => a + b.seconds, 0);
  const bare = total(runs[0]!);
  // workerd's CPU per request: steadier than req/s on a 2-core machine, where wrk and the scheduler
  // move throughput from round to round. Its ratio (bare ÷ route) reads like the req/s one.
  const cpuPer = (rs: Run[]) => rs.reduce((a, x) => a + x.cpuUs * x.requests, 0) / rs.reduce((a, x) => a + x.requests, 0);
  const bareCpu = cpuPer(runs[0]!);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const lines = [
    `tracking over HTTP: one workerd (the Worker on its own socket, via Miniflare; ${noAssets ? "no asset routing in front" : "asset routing in front, as wrangler dev and Cloudflare run it"}), wrk -t1 -c${CONNECTIONS}, ${ROUNDS} rounds × ${SECONDS} s per route, leg order rotating`,
    "  route               req/s   p50     p99     ratio vs bare 204: all rounds (per round min / median / max)   CPU µs/req (ratio)   statuses 2xx/3xx/4xx/5xx",
  ];
  let fivexx = 0;
  all.forEach((leg, i) => {
    const rs = runs[i]!;
    const per = rs.map((x, j) => x.rate / runs[0]![j]!.rate);
    const st = rs.reduce((a, x) => a.map((v, k) => v + x.status[k]!) as Run["status"], [0, 0, 0, 0] as Run["status"]);
    fivexx += st[3];
    const requests = rs.reduce((a, x) => a + x.requests, 0);
    const other = rs.reduce((a, x) => a + x.other, 0);
    // A 204 without headers never reaches wrk's Lua callback: count it from wrk's own tally.
    const statuses = st.some((v) => v > 0) ? st.join("/") : `${requests - other} 2xx/3xx, ${other} other`;
    if (st.every((v) => v === 0)) fivexx += other;
    const ratio =
      i === 0
        ? ""
        : `${(total(rs) / bare).toFixed(2)}x (${Math.min(...per).toFixed(2)} / ${median(per).toFixed(2)} / ${Math.max(...per).toFixed(2)})`;
    lines.push(
      `  ${leg.name.padEnd(18)} ${total(rs).toFixed(0).padStart(6)}  ${(median(rs.map((x) => x.p50us)) / 1000).toFixed(1).padStart(5)}ms ${(median(rs.map((x) => x.p99us)) / 1000).toFixed(1).padStart(5)}ms  ${ratio.padEnd(58)} ${cpuPer(rs).toFixed(0).padStart(6)}${i === 0 ? "        " : ` (${(bareCpu / cpuPer(rs)).toFixed(2)}x)`}      ${statuses}`,
    );
  });
  const leg = (name: string) => {
    const i = all.findIndex((l) => l.name === name);
    if (i < 0) throw new Error(`no leg "${name}" in bench/tracking/targets.ts`);
    return runs[i]!;
  };
  const [px, gif] = [leg("open pixel"), leg("static GIF")];
  lines.push(
    `  open pixel vs static GIF (the tracking work alone): ${(total(px) / total(gif)).toFixed(2)}x req/s, ${(cpuPer(gif) / cpuPer(px)).toFixed(2)}x CPU`,
    `  target: open pixel and click redirect >= 0.85x; 5xx responses in all legs: ${fivexx}`,
  );
  console.log(`\n${lines.join("\n")}\n`);
  if (fivexx > 0) process.exitCode = 1;
} finally {
  await mf.dispose();
  if (!existsSync(`${work}/keep`)) rmSync(work, { recursive: true, force: true });
}
