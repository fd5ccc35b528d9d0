/** Every Durable Object class the Worker exports. Stub helpers live in stubs.ts (no runtime import). */
export { RateLimiter } from "./rate-limiter.ts";
