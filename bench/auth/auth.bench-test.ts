import { env } from "cloudflare:workers";
import { it } from "vitest";
import { rateLimiter } from "../../durable-objects/stubs.ts";
import { call, createKey, seed, signInAs } from "../../tests/support/api.ts";
import { hashPassword, verifyPassword } from "../../workers/auth/password.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

async function time(n: number, fn: () => Promise<unknown>) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

it("measures argon2id and the rate limiter in workerd", async () => {
  await hashPassword("warm-up-password");
  const hash = await time(20, () => hashPassword("correct horse battery staple"));
  const h = await hashPassword("correct horse battery staple");
  const verify = await time(20, () => verifyPassword("correct horse battery staple", h));

  const stub = rateLimiter(env as unknown as Env, `bench:${crypto.randomUUID()}`);
  const take = await time(300, () => stub.take({ perMinute: 1_000_000, burst: 1_000_000 }, 1));

  const t = await seed("RlBench");
  const s = await signInAs(t);
  const key = await createKey(s, ["tenant:read"]);
  await call("GET", "/api/v1/tenant", { key });
  await call("GET", "/api/v1/tenant", s);
  // Same route and verb; the API-key path adds key resolution + two DO token buckets, the session path neither.
  const viaKey = await time(50, () => call("GET", "/api/v1/tenant", { key }));
  const viaSession = await time(50, () => call("GET", "/api/v1/tenant", s));
  const f = (xs: number[]) => `median ${median(xs).toFixed(1)} ms, p95 ${p95(xs).toFixed(1)} ms`;
  console.log(
    [
      "",
      "identity figures (workerd via the vitest plugin, 2-core machine)",
      `  argon2id hash   (m=19 MiB, t=2, p=1): ${f(hash)}`,
      `  argon2id verify                      : ${f(verify)}`,
      `  RateLimiter.take() DO round trip     : ${f(take)}`,
      `  GET /api/v1/tenant with API key      : ${f(viaKey)}  (key lookup + 2 buckets)`,
      `  GET /api/v1/tenant with session      : ${f(viaSession)}`,
      "",
    ].join("\n"),
  );
});
