/**
 * Typed stub helpers. Kept apart from the classes so code that only *calls* a Durable Object does
 * not import `cloudflare:workers` (and stays importable from Node scripts and tests).
 */
export const rateLimiter = (env: Env, name: string) => env.RATE_LIMITER.getByName(name);
export const campaignClock = (env: Env, campaignId: string) => env.CAMPAIGN_CLOCK.getByName(campaignId);
export const mailboxPacer = (env: Env, mailboxId: string) => env.MAILBOX_PACER.getByName(mailboxId);
