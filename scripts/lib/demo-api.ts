import { DEMO } from "./seed.ts";

/**
 * The demo owner's session against the running dev server, for seeding through the real API (the
 * same validation, permissions and side effects a customer's clicks have). Untyped JSON: these are
 * our own answers, read for a few fields.
 */
export interface DemoApi {
  // biome-ignore lint/suspicious/noExplicitAny: untyped JSON from our own API
  get(path: string): Promise<any>;
  // biome-ignore lint/suspicious/noExplicitAny: untyped JSON from our own API
  send(method: "POST" | "PATCH", path: string, body?: unknown): Promise<any>;
}

export async function demoApi(base: string): Promise<DemoApi> {
  const signIn = await fetch(`${base}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email: DEMO.email, password: DEMO.password }),
  });
  if (!signIn.ok) throw new Error(`demo sign-in answered ${signIn.status}`);
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
  const get = async (path: string) => (await fetch(`${base}${path}`, { headers: { cookie } })).json();
  const { csrfToken } = (await get("/api/v1/me")) as { csrfToken: string };
  return {
    get,
    async send(method, path, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { "content-type": "application/json", origin: base, cookie, "x-csrf-token": csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
      if (!res.ok) throw new Error(`${method} ${path}: ${json.error?.message ?? `HTTP ${res.status}`}`);
      return json;
    },
  };
}
