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
  }
}

/** A counting SMTP sink (AUTH required, no parsing) so the sink itself is not what gets measured. */
export default async function setup(project: TestProject) {
  const counts = new Map<string, number>();
  const smtp = await startCounter("bench", "bench", (rcpts) => {
    const tag = rcpts[0]?.split("@")[1] ?? "";
    counts.set(tag, (counts.get(tag) ?? 0) + 1);
  });
  const server = http.createServer((req, res) => {
    const tag = new URL(req.url ?? "/", "http://x").searchParams.get("domain") ?? "";
    res.end(JSON.stringify({ count: counts.get(tag) ?? 0 }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (smtp.address() as AddressInfo).port;
  project.provide("benchSmtpPort", port);
  // The Node baseline runs first, against this same sink, with the same message count and size.
  const count = Number(process.env.BENCH_MESSAGES ?? 10_000);
  project.provide("baselineSeconds", await nodeBaseline(port, count, "baseline.bench", BENCH_BODY));
  project.provide("benchCountUrl", `http://127.0.0.1:${(server.address() as AddressInfo).port}/count`);
  return async () => {
    await new Promise<void>((r) => smtp.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  };
}
