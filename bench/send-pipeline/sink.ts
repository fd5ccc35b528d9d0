import http from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";
import { startCounter } from "../../scripts/fakes/smtp-sink.ts";
import { BENCH_BODY, nodeBaseline } from "./node-baseline.ts";

declare module "vitest" {
  interface ProvidedContext {
    benchSmtpPort: number;
    benchCountUrl: string;
    baselineSeconds: number;
    benchBaselineUrl: string;
  }
}

/** A counting SMTP sink (AUTH required, no parsing) so the sink itself is not what gets measured. */
export default async function setup(project: TestProject) {
  const counts = new Map<string, number>();
  const smtp = await startCounter("bench", "bench", (rcpts) => {
    const tag = rcpts[0]?.split("@")[1] ?? "";
    counts.set(tag, (counts.get(tag) ?? 0) + 1);
  });
  const count = Number(process.env.BENCH_MESSAGES ?? 10_000);
  let port = 0;
  let runs = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    // The baseline again, right before each pipeline case: this machine's speed drifts by ±25 %
    // within a run, so each ratio compares runs minutes apart at most, never a stale figure.
    if (url.pathname === "/baseline") {
      nodeBaseline(port, count, `baseline${++runs}.bench`, BENCH_BODY).then(
        (seconds) => res.end(JSON.stringify({ seconds })),
        (err) => {
          res.statusCode = 500;
          res.end(String(err));
        },
      );
      return;
    }
    const tag = url.searchParams.get("domain") ?? "";
    res.end(JSON.stringify({ count: counts.get(tag) ?? 0 }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (smtp.address() as AddressInfo).port;
  project.provide("benchSmtpPort", port);
  // The Node baseline also runs first (a warm-up), against this same sink, same count and size.
  project.provide("baselineSeconds", await nodeBaseline(port, count, "baseline0.bench", BENCH_BODY));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  project.provide("benchCountUrl", `${base}/count`);
  project.provide("benchBaselineUrl", `${base}/baseline`);
  return async () => {
    await new Promise<void>((r) => smtp.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  };
}
