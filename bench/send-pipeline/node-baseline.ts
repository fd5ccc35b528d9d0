import { performance } from "node:perf_hooks";
import nodemailer from "nodemailer";

export const BENCH_BODY =
  "Hi {{first_name}},\n\nIs your team hiring this quarter? We help B2B teams book more meetings.\n\n{{sender.first_name}}\n";

/**
 * Baseline: a pooled Node SMTP client (nodemailer, 5 connections, 100 messages each) sending the same
 * number of messages of the same size to the same sink. Run by the bench through its globalSetup.
 */
export async function nodeBaseline(port: number, count: number, domain: string, body: string): Promise<number> {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 5,
    maxMessages: 100,
    host: "127.0.0.1",
    port,
    secure: false,
    ignoreTLS: true,
    auth: { user: "bench", pass: "bench" },
  });
  const t0 = performance.now();
  const jobs: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    jobs.push(
      transport.sendMail({ from: '"Ann" <ann@bench-sender.test>', to: `lead${i}@${domain}`, subject: `Quick question ${i}`, text: body }),
    );
  }
  await Promise.all(jobs);
  const seconds = (performance.now() - t0) / 1000;
  transport.close();
  return seconds;
}
