import { env, exports } from "cloudflare:workers";
import { parseConfig } from "../../workers/platform/config.ts";
import { buildCtx, type RequestScope } from "../../workers/platform/context.ts";
import { createLogger } from "../../workers/platform/log.ts";
import { type SeededTenant, seedTenant } from "./seed.ts";

/** HTTP helpers for tests/api: requests go through the real Worker entry inside workerd. */
export const ORIGIN = "http://127.0.0.1:8787";

export interface Caller {
  key?: string;
  cookie?: string;
  csrf?: string;
  headers?: Record<string, string>;
}

export async function call(method: string, path: string, opts: Caller & { body?: unknown; rawBody?: BodyInit } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf) headers["x-csrf-token"] = opts.csrf;
  if (method !== "GET" && !("origin" in headers)) headers.origin = ORIGIN;
  let body: BodyInit | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  // redirect: "manual" so a 302 (click redirect, sign-in) is seen as such, not followed.
  const res = await exports.default.fetch(new Request(`${ORIGIN}${path}`, { method, headers, body, redirect: "manual" }));
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** A verb-level scope on the test bindings, for seeding inside workerd. */
export function scope(): RequestScope {
  const config = parseConfig(env);
  return buildCtx({ requestId: "req_test", config, log: createLogger({}, "error"), waitUntil: () => undefined });
}

export async function seed(label: string): Promise<SeededTenant> {
  const s = scope();
  try {
    return await seedTenant(s, label);
  } finally {
    await s.dispose();
  }
}

/** Signs in through the API: returns the cookie header and the CSRF token for writes. */
export async function signInAs(t: { email: string; password: string }): Promise<Caller> {
  // A distinct client IP per sign-in, so the per-IP sign-in limit never couples unrelated tests.
  const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
  const res = await call("POST", "/api/v1/auth/sign-in", {
    body: { email: t.email, password: t.password },
    headers: { "cf-connecting-ip": ip },
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  const me = await call("GET", "/api/v1/me", { cookie });
  return { cookie, csrf: me.json.csrfToken };
}

export async function createKey(session: Caller, scopes: string[], name = "test key"): Promise<string> {
  const res = await call("POST", "/api/v1/api-keys", { ...session, body: { name, scopes } });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
  return res.json.key;
}
