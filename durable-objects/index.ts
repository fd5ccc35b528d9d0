/** Every Durable Object class the Worker exports, plus typed stub helpers. */
export { RateLimiter } from "./rate-limiter.ts";

export const rateLimiter = (env: Env, name: string) => env.RATE_LIMITER.getByName(name);
