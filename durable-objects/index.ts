/** Every Durable Object class the Worker exports. Stub helpers live in stubs.ts (no runtime import). */
export { CampaignClock } from "./campaign-clock.ts";
export { MailboxPacer } from "./mailbox-pacer.ts";
export { RateLimiter } from "./rate-limiter.ts";
