import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { call, scope, seed, signInAs } from "../../tests/support/api.ts";
import { leads } from "../../workers/leads/tables.ts";
import { runInTx } from "../../workers/platform/db.ts";
import { newId } from "../../workers/platform/ids.ts";

/**
 * 100,000-row CSV through the real import path (HTTP upload → R2 → queue consumer: validate pass +
 * import pass, suppression check, batched INSERT … ON CONFLICT) versus a bulk INSERT of the same rows
 * into the same database through the same driver (multi-row VALUES, BATCH_ROWS per statement, one
 * transaction per batch). Prints rows/s for both and the ratio.
 */
const ROWS = Number((env as unknown as { BENCH_ROWS: string }).BENCH_ROWS);

function makeCsv(prefix: string) {
  const parts: string[] = ["email,first_name,last_name,company,title,city,country\n"];
  for (let i = 0; i < ROWS; i++)
    parts.push(`${prefix}${i}@bench${i % 97}.example,First${i},Last${i},Company ${i % 5000},Head of Growth,Berlin,Germany\n`);
  return new TextEncoder().encode(parts.join(""));
}

it(`imports ${ROWS} rows`, async () => {
  const t = await seed("Bench");
  const s = await signInAs(t);
  const csv = makeCsv("imp");

  const t0 = performance.now();
  const up = await call("POST", `/api/v1/lead-imports?workspaceId=${t.workspaceId}&filename=bench.csv`, {
    ...s,
    rawBody: csv,
    headers: { "content-type": "text/csv" },
  });
  expect(up.status).toBe(201);
  await call("POST", `/api/v1/lead-imports/${up.json.id}/start`, { ...s, body: { mapping: up.json.suggestedMapping } });
  const tUploaded = performance.now();
  let tImportPhase = 0;
  let final: { status: string; rowsImported: number; phase: string };
  for (;;) {
    final = (await call("GET", `/api/v1/lead-imports/${up.json.id}`, s)).json;
    if (!tImportPhase && final.phase === "import") tImportPhase = performance.now();
    if (final.status === "completed" || final.status === "failed") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const importSeconds = (performance.now() - t0) / 1000;
  expect(final).toMatchObject({ status: "completed", rowsImported: ROWS });

  // Baseline: the same rows, same database, same driver, plain bulk INSERT.
  const sc = scope();
  const rows = new TextDecoder()
    .decode(makeCsv("blk"))
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [email, firstName, lastName, company, title, city, country] = line.split(",");
      return { email: email!, emailDomain: email!.split("@")[1]!, firstName, lastName, company, title, city, country };
    });
  const t1 = performance.now();
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows
      .slice(i, i + 2000)
      .map((r) => ({ ...r, id: newId("led"), tenantId: t.tenantId, workspaceId: t.workspaceId, source: "bulk" }));
    await runInTx(sc.db, { tenantId: t.tenantId }, (tx) => tx.insert(leads).values(chunk));
  }
  const bulkSeconds = (performance.now() - t1) / 1000;
  const count = await runInTx(sc.db, { tenantId: t.tenantId }, (tx) =>
    tx.execute<{ n: number }>(sql`select count(*)::int as n from leads where tenant_id = ${t.tenantId}`),
  );
  await sc.dispose();
  expect(count.rows[0]!.n).toBe(ROWS * 2);

  const importRate = ROWS / importSeconds;
  const bulkRate = ROWS / bulkSeconds;
  const db = (env as unknown as { BENCH_DB: string }).BENCH_DB;
  console.log(
    [
      "",
      `import benchmark (${ROWS} rows, ${(csv.length / 1e6).toFixed(1)} MB, database: ${db})`,
      `  real import path : ${importSeconds.toFixed(2)} s  ${Math.round(importRate)} rows/s (upload + validate pass + import pass)`,
      `    upload ${((tUploaded - t0) / 1000).toFixed(2)} s · validate pass ${((tImportPhase - tUploaded) / 1000).toFixed(2)} s · import pass ${(importSeconds - (tImportPhase - t0) / 1000).toFixed(2)} s`,
      `  bulk INSERT      : ${bulkSeconds.toFixed(2)} s  ${Math.round(bulkRate)} rows/s`,
      `  ratio            : ${(importRate / bulkRate).toFixed(2)}x (target >= 0.5x)`,
      "",
    ].join("\n"),
  );
});
