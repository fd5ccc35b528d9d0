import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// wrangler.toml drift checks (ARCHITECTURE.md §4.6). Bindings are not inherited by [env.*]
// sections, so every env must repeat the top level's; DO classes must be exported and migrated.
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

type Value = string | number | boolean | string[];
interface Table {
  /** Dotted header, "" for the top level: e.g. "durable_objects.bindings" or "env.staging.vars". */
  path: string;
  values: Record<string, Value>;
}

/**
 * Just the TOML wrangler.toml uses: [tables], [[arrays of tables]], and key = string, number,
 * boolean or (possibly multi-line) array of strings. Anything else throws rather than being skipped.
 */
function parseToml(text: string): Table[] {
  const tables: Table[] = [{ path: "", values: {} }];
  const lines = text.split("\n").map((l) => l.replace(/\s+#.*$|^#.*$/, "").trim());
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? "";
    if (!line) continue;
    const header = /^\[\[?([\w.-]+)\]\]?$/.exec(line);
    if (header) {
      tables.push({ path: header[1] ?? "", values: {} });
      continue;
    }
    while (/^[\w-]+\s*=\s*\[/.test(line) && !line.endsWith("]")) line += lines[++i] ?? "]";
    const kv = /^([\w-]+)\s*=\s*(.+)$/.exec(line);
    if (!kv) throw new Error(`wrangler.toml line ${i + 1} not understood: ${line}`);
    (tables.at(-1) as Table).values[kv[1] ?? ""] = parseValue(kv[2] ?? "");
  }
  return tables;
}

function parseValue(raw: string): Value {
  if (raw.startsWith('"')) return JSON.parse(raw) as string;
  if (raw === "true" || raw === "false") return raw === "true";
  if (raw.startsWith("[")) return JSON.parse(raw.replace(/,\s*]$/, "]")) as string[];
  if (/^-?\d+$/.test(raw)) return Number(raw);
  throw new Error(`TOML value not understood: ${raw}`);
}

/** What an environment binds: "vars:APP_URL", "durable_objects.bindings:RATE_LIMITER", "queues.producers:SEND_QUEUE"… */
function bindingNames(tables: Table[], env: string | null): string[] {
  const prefix = env ? `env.${env}.` : "";
  const names: string[] = [];
  for (const t of tables) {
    if (env ? !t.path.startsWith(prefix) : t.path.startsWith("env.")) continue;
    const kind = t.path.slice(prefix.length);
    const id = t.values.binding ?? t.values.name ?? t.values.queue; // [[migrations]], [observability]… have none
    if (kind === "vars") names.push(...Object.keys(t.values).map((k) => `vars:${k}`));
    else if (kind && id !== undefined) names.push(`${kind}:${id}`);
  }
  return names.sort();
}

const envNames = (tables: Table[]) => [...new Set(tables.flatMap((t) => /^env\.([\w-]+)(\.|$)/.exec(t.path)?.[1] ?? []))];

describe("wrangler.toml", () => {
  const tables = parseToml(read("wrangler.toml"));
  const top = tables[0]?.values ?? {};

  it("points at the Worker entry with a date every bundled workerd accepts (G7)", () => {
    expect(top.main).toBe("workers/app.ts");
    expect(String(top.compatibility_date)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(String(top.compatibility_date) <= "2026-10-19", `compatibility_date ${top.compatibility_date}`).toBe(true);
  });

  it("exports and migrates every Durable Object class it binds", () => {
    const bound = tables.filter((t) => t.path.endsWith("durable_objects.bindings")).map((t) => String(t.values.class_name));
    expect(bound.length).toBeGreaterThan(0);
    const app = read("workers/app.ts");
    const exported = [...app.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) =>
      (m[1] ?? "").split(",").map((s) =>
        s
          .trim()
          .split(/\s+as\s+/)
          .pop(),
      ),
    );
    exported.push(...[...app.matchAll(/export\s+class\s+(\w+)/g)].map((m) => m[1]));
    const migrated = tables
      .filter((t) => t.path === "migrations")
      .flatMap((t) => (t.values.new_sqlite_classes as string[] | undefined) ?? []);
    for (const cls of bound) {
      expect(exported, `${cls} exported from workers/app.ts`).toContain(cls);
      expect(migrated, `${cls} in a [[migrations]] new_sqlite_classes`).toContain(cls);
    }
  });

  it("declares the same binding names in every [env.*] as at the top level", () => {
    const expected = bindingNames(tables, null);
    expect(expected).toContain("durable_objects.bindings:RATE_LIMITER");
    for (const env of envNames(tables)) expect(bindingNames(tables, env), `[env.${env}]`).toEqual(expected);
  });

  it("the drift check itself catches an env that forgot a binding", () => {
    const drifted = parseToml(`
      [vars]
      APP_URL = "x"
      [[durable_objects.bindings]]
      name = "RATE_LIMITER"
      class_name = "RateLimiter"
      [env.staging.vars]
      APP_URL = "y"
      [env.bare]
      name = "penguinmails-bare"
    `);
    expect(envNames(drifted)).toEqual(["staging", "bare"]);
    expect(bindingNames(drifted, null)).toEqual(["durable_objects.bindings:RATE_LIMITER", "vars:APP_URL"]);
    expect(bindingNames(drifted, "staging")).toEqual(["vars:APP_URL"]);
    expect(bindingNames(drifted, "bare")).toEqual([]);
    expect(() => parseToml("durable_objects = { bindings = [] }")).toThrow(/not understood/);
  });
});
