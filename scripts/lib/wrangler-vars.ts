import { readFileSync } from "node:fs";

/** The [vars] table of wrangler.toml (flat string values only), so scripts validate what the Worker sees. */
export function wranglerVars(path = "wrangler.toml"): Record<string, string> {
  const out: Record<string, string> = {};
  let inVars = false;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const t = line.trim();
    if (t.startsWith("[")) inVars = t === "[vars]";
    else if (inVars) {
      const m = /^([A-Z0-9_]+)\s*=\s*"([^"]*)"/.exec(t);
      if (m) out[m[1] as string] = m[2] as string;
    }
  }
  return out;
}
