/**
 * `npm run inbound -- path/to/message.eml [more.eml…]`: feeds raw messages to the running dev
 * server's inbound endpoint (the same code as the Worker's email() handler) and prints the outcome.
 */
import { readFileSync } from "node:fs";

const base = process.env.APP_URL ?? "http://127.0.0.1:8787";
const files = process.argv.slice(2);
if (!files.length) {
  console.error("usage: npm run inbound -- message.eml [more.eml …]");
  process.exit(2);
}
for (const f of files) {
  const res = await fetch(`${base}/api/dev/inbound`, {
    method: "POST",
    headers: { "content-type": "message/rfc822" },
    body: readFileSync(f),
  });
  console.log(`${f}: ${res.status} ${await res.text()}`);
}
