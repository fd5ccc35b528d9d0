import { z } from "zod";

/**
 * Every setting the Worker reads, parsed once per env object. A missing or malformed value fails
 * with a ConfigError naming each bad variable, before any request is served with it.
 */
const LogLevel = z.enum(["debug", "info", "warn", "error"]);

export const Config = z
  .object({
    APP_ENV: z.enum(["development", "test", "production"]).default("development"),
    APP_VERSION: z.string().min(1).default("0.0.0"),
    APP_URL: z.url({ message: "must be an absolute URL such as https://app.example.com" }),
    DATABASE_URL: z
      .string({ message: "is required (postgres://user:password@host:5432/db)" })
      .regex(/^postgres(ql)?:\/\/.+/, "must be a postgres:// or postgresql:// URL"),
    // Local only: host:port of the WebSocket→TCP proxy the Neon driver tunnels through. Unset on Neon.
    NEON_WS_PROXY: z
      .string()
      .regex(/^[\w.-]+:\d{2,5}$/, "must be host:port, e.g. 127.0.0.1:5488")
      .optional(),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (generate with `openssl rand -hex 32`)"),
    LOG_LEVEL: LogLevel.default("info"),
    // Platform mail relay, e.g. smtp://user:pass@smtp.example.com:587 (STARTTLS) or smtps://…:465.
    // Unset: platform mail is captured in the dev outbox (/dev/outbox) instead of sent.
    SMTP_RELAY_URL: z
      .string()
      .regex(/^smtps?:\/\/.+:\d+/, "must look like smtp://user:pass@host:587 or smtps://user:pass@host:465")
      .optional(),
    MAIL_FROM: z.string().min(3).default("PenguinMails <no-reply@penguinmails.test>"),
    // Custom tracking domains must CNAME to this host (default: APP_URL's host).
    TRACKING_CNAME_TARGET: z
      .string()
      .regex(/^[a-z0-9.-]+$/i, "must be a host name")
      .optional(),
    // DNS-over-HTTPS JSON endpoint used to verify DNS records.
    DOH_URL: z.url().default("https://cloudflare-dns.com/dns-query"),
    // Master keys for stored secrets: "v2:<base64 32 bytes>,v1:<…>" — the first encrypts, all decrypt.
    SECRETS_MASTER_KEYS: z
      .string()
      .regex(
        /^[A-Za-z0-9]{1,16}:[A-Za-z0-9+/_-]{43}=?(,[A-Za-z0-9]{1,16}:[A-Za-z0-9+/_-]{43}=?)*$/,
        "must be <version>:<base64 of 32 random bytes>[,…] (openssl rand -base64 32)",
      )
      .optional(),
    // Infrastructure (workers/infra). Hostwinds keys are IPv4 allow-listed: point HOSTWINDS_API_URL at
    // a fixed-egress relay in production. Without HOSTWINDS_API_KEY, provisioning is refused with a clear error.
    HOSTWINDS_API_URL: z.url().default("https://clients.hostwinds.com/cloud/api.php"),
    HOSTWINDS_API_KEY: z.string().min(8).optional(),
    HOSTWINDS_NODE_TEMPLATE: z.string().min(1).default("ubuntu-24.04-penguinmails-node"),
    HOSTWINDS_LOCATION_ID: z.string().regex(/^\d+$/, "must be a Hostwinds location id").default("1"),
    // Hostwinds product ids (rid) per node size: "small=…,medium=…,large=…" (SPEC §4.3 sizing).
    HOSTWINDS_PLAN_IDS: z
      .string()
      .regex(/^small=\w+,medium=\w+,large=\w+$/, "must be small=<rid>,medium=<rid>,large=<rid>")
      .default("small=1001,medium=1002,large=1003"),
    // Every node's MailU admin API is https://<mail host>/api/v1; dev and tests point all nodes at one fake.
    MAILU_API_URL: z.url().optional(),
    CLOUDFLARE_API_URL: z.url().default("https://api.cloudflare.com/client/v4"),
    // Where hosted mailboxes forward replies (Email Routing → the email() handler) and DMARC reports go.
    INBOUND_DOMAIN: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, "must be a domain name")
      .default("inbound.penguinmails.test"),
    DB_HEALTH_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3_000),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.APP_ENV === "production" && !cfg.SECRETS_MASTER_KEYS) {
      ctx.addIssue({ code: "custom", path: ["SECRETS_MASTER_KEYS"], message: "is required in production (encrypts stored credentials)" });
    }
    if (cfg.APP_ENV === "production" && !cfg.SMTP_RELAY_URL) {
      ctx.addIssue({ code: "custom", path: ["SMTP_RELAY_URL"], message: "is required in production (platform mail)" });
    }
    if (cfg.APP_ENV === "production" && cfg.NEON_WS_PROXY) {
      ctx.addIssue({ code: "custom", path: ["NEON_WS_PROXY"], message: "must not be set in production (local proxy only)" });
    }
  });

export type Config = z.infer<typeof Config>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

/** Parses raw bindings/env vars; throws ConfigError listing every bad variable by name. */
export function parseConfigFrom(raw: Record<string, unknown>): Config {
  const strings: Record<string, unknown> = {};
  for (const key of Object.keys(Config.shape)) {
    const v = raw[key];
    // Empty strings count as unset so `FOO=` in a .env behaves like a missing variable.
    if (v !== undefined && v !== "") strings[key] = v;
  }
  const result = Config.safeParse(strings);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((i) => {
      const name = i.path.join(".") || "(config)";
      const message = i.code === "invalid_type" && strings[name] === undefined ? "is required" : i.message;
      return `${name} ${message}`;
    }),
  );
}

const cache = new WeakMap<object, Config>();

/** Memoised per env object (one per isolate in workerd), so parsing costs nothing per request. */
export function parseConfig(env: object): Config {
  let cfg = cache.get(env);
  if (!cfg) {
    cfg = parseConfigFrom(env as Record<string, unknown>);
    cache.set(env, cfg);
  }
  return cfg;
}
