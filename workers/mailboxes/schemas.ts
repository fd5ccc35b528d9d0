import { z } from "@hono/zod-openapi";
import { isValidTimeZone } from "../campaigns/time.ts";

const Host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[a-zA-Z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/, "Enter a host name such as smtp.example.com");

const MailboxFields = z.object({
  fromName: z.string().trim().min(1).max(100),
  signature: z.string().max(2000).nullable().optional(),
  smtpHost: Host,
  // Never 25: Workers cannot use it, and submission belongs on 587/465.
  smtpPort: z.coerce
    .number()
    .int()
    .refine((p) => p !== 25, "Port 25 is not for submission; use 587 (STARTTLS) or 465 (TLS)")
    .pipe(z.number().min(1).max(65535)),
  smtpSecurity: z.enum(["starttls", "tls", "none"]),
  smtpUsername: z.string().trim().min(1).max(254),
  imapHost: Host.nullable().optional(),
  imapPort: z.coerce.number().int().min(1).max(65535).nullable().optional(),
  imapUsername: z.string().trim().max(254).nullable().optional(),
  dailyLimit: z.coerce.number().int().min(10, "At least 10 per day").max(500, "At most 500 per day"),
  minGapSeconds: z.coerce.number().int().min(0).max(3600),
  timezone: z.string().refine(isValidTimeZone, "Unknown IANA time zone"),
});

/** Creation fills the defaults (SPEC: 50/day, 120 s gap); updates never do. */
export const MailboxSettings = MailboxFields.extend({
  smtpSecurity: MailboxFields.shape.smtpSecurity.default("starttls"),
  dailyLimit: MailboxFields.shape.dailyLimit.default(50),
  minGapSeconds: MailboxFields.shape.minGapSeconds.default(120),
  timezone: MailboxFields.shape.timezone.default("UTC"),
});

export const CreateMailboxInput = MailboxSettings.extend({
  workspaceId: z.string().min(1).max(64),
  email: z.string().trim().toLowerCase().pipe(z.email()),
  smtpPassword: z.string().min(1).max(500),
  imapPassword: z.string().max(500).nullable().optional(),
}).openapi("CreateMailboxInput");
export type CreateMailboxInput = z.infer<typeof CreateMailboxInput>;

export const UpdateMailboxInput = MailboxFields.partial()
  .extend({
    smtpPassword: z.string().min(1).max(500).optional(),
    imapPassword: z.string().max(500).nullable().optional(),
    status: z.enum(["active", "paused"]).optional(),
  })
  .openapi("UpdateMailboxInput");
export type UpdateMailboxInput = z.infer<typeof UpdateMailboxInput>;

export const MailboxDto = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    provider: z.string(),
    email: z.string(),
    fromName: z.string(),
    signature: z.string().nullable(),
    smtpHost: z.string(),
    smtpPort: z.number(),
    smtpSecurity: z.string(),
    smtpUsername: z.string(),
    hasImap: z.boolean(),
    imapHost: z.string().nullable(),
    imapPort: z.number().nullable(),
    dailyLimit: z.number(),
    minGapSeconds: z.number(),
    timezone: z.string(),
    status: z.enum(["active", "paused", "error"]),
    statusReason: z.string().nullable(),
    lastTest: z
      .object({ ok: z.boolean(), at: z.string(), phase: z.string().optional(), message: z.string(), transcript: z.array(z.string()) })
      .nullable(),
    createdAt: z.string(),
  })
  .openapi("Mailbox");
export type MailboxDto = z.infer<typeof MailboxDto>;
