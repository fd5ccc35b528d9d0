/**
 * `npm run inbound -- [--to <envelope recipient>] path/to/message.eml [more.eml…]`: feeds raw messages
 * to the running dev server's inbound endpoint (the same code as the Worker's email() handler) and
 * prints the outcome. `--to` stands in for Email Routing's envelope recipient, e.g. a VERP bounce
 * address `bounce+<send>-<tenant>@inbound.penguinmails.test` (workers/sending/verp.ts).
 */
import { readFileSync } from "node:fs";

const base = process.env.APP_URL ?? "http://127.0.0.1:8787";
const args = process.argv.slice(2);
const toAt = args.indexOf("--to");
const to = toAt >= 0 ? args.splice(toAt, 2)[1] : undefined;
const files = args;
if (!files.length || (toAt >= 0 && !to)) {
  console.error("usage: npm run inbound -- [--to bounce+…@inbound.domain] message.eml [more.eml …]");
  process.exit(2);
}
for (const f of files) {
  const url = new URL(`${base}/api/dev/inbound`);
  if (to) url.searchParams.set("to", to);
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "message/rfc822" },
    body: readFileSync(f),
  });
  console.log(`${f}: ${res.status} ${await res.text()}`);
}
