// Secrets and local-only settings that `wrangler types` cannot see in wrangler.toml.
// Set with `wrangler secret put NAME` in production; scripts/dev.ts writes them to .dev.vars locally.
declare namespace Cloudflare {
  interface Env {
    DATABASE_URL: string;
    AUTH_SECRET: string;
    SECRETS_MASTER_KEYS?: string;
    SMTP_RELAY_URL?: string;
    NEON_WS_PROXY?: string;
    LOG_LEVEL?: string;
    DB_HEALTH_TIMEOUT_MS?: string;
  }
}
