/**
 * `npm test`: the whole suite (node + workers projects) once, on the embedded PGlite database, or
 * on DATABASE_URL when set. Ends with one line `N passed, N failed` (CI sums the two runs).
 * Extra arguments go to vitest, e.g. `npm test -- tests/unit`.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const out = ".tmp/vitest-results.json";
mkdirSync(".tmp", { recursive: true });
rmSync(out, { force: true });

const args = ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...process.argv.slice(2)];
const child = spawn("vitest", args, { stdio: "inherit", env: process.env });
const code: number = await new Promise((resolve) => child.on("exit", (c, sig) => resolve(c ?? (sig ? 1 : 0))));

if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: { status: string; assertionResults: unknown[] }[];
  };
  // A file that fails before any test runs (import error, hook failure) counts as one failure.
  const brokenFiles = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
  const failed = r.numFailedTests + brokenFiles;
  const db = process.env.DATABASE_URL ? "postgres" : "embedded";
  console.log(`\n[${db}] ${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  if (r.numPassedTests === 0 && code === 0) process.exit(1);
}
process.exit(code);
