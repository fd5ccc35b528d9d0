/**
 * Screenshots dashboard pages with Debian's Chromium (playwright-core, no browser download), signed in
 * as the demo user: `npm run screenshot -- / /settings` → .tmp/shots/*.png. Needs `npm run dev` running.
 */
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { DEMO } from "./lib/seed.ts";

const base = process.env.APP_URL ?? "http://127.0.0.1:8787";
const paths = process.argv.slice(2);
mkdirSync(".tmp/shots", { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}/sign-in`);
  await page.screenshot({ path: ".tmp/shots/sign-in.png" });
  await page.getByLabel("Work e-mail").fill(DEMO.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  for (const p of paths.length ? paths : ["/"]) {
    await page.goto(`${base}${p}`);
    await page.waitForLoadState("networkidle");
    const file = `.tmp/shots/${p === "/" ? "home" : p.replace(/^\//, "").replace(/[/?=&]/g, "_")}.png`;
    await page.screenshot({ path: file, fullPage: true });
    console.log(`saved ${file}`);
  }
} finally {
  await browser.close();
}
