import { z } from "zod";
import { mailboxPacer } from "../../../durable-objects/stubs.ts";
import { CreateMailboxInput, UpdateMailboxInput } from "../../../workers/mailboxes/schemas.ts";

/**
 * Form parsing for mailboxes/index (connect) and mailboxes/:id (settings). Blank optional fields
 * mean "none" on create and "unchanged" (passwords) or "remove" (IMAP host) on update; the verbs'
 * own schemas then apply, with the messages people see replaced where zod's are cryptic.
 */
const blank = (v: unknown) => typeof v !== "string" || v.trim() === "";

const Port = (what: string) =>
  z.coerce
    .number({ error: `Enter the ${what} port, e.g. ${what === "SMTP" ? "587" : "993"}` })
    .int("Enter a whole number")
    .min(1, "Ports run from 1 to 65535")
    .max(65535, "Ports run from 1 to 65535");

const Friendly = {
  fromName: z
    .string({ error: "Enter the name recipients see" })
    .trim()
    .min(1, "Enter the name recipients see")
    .max(100, "Use at most 100 characters"),
  smtpHost: CreateMailboxInput.shape.smtpHost,
  smtpPort: Port("SMTP").refine((p) => p !== 25, "Port 25 is not for submission; use 587 (STARTTLS) or 465 (TLS)"),
  smtpUsername: z
    .string({ error: "Enter the SMTP username (usually the e-mail address)" })
    .trim()
    .min(1, "Enter the SMTP username (usually the e-mail address)")
    .max(254),
  imapPort: Port("IMAP").nullable().optional(),
  dailyLimit: z.coerce
    .number({ error: "Enter a number between 10 and 500" })
    .int("Enter a whole number")
    .min(10, "At least 10 per day")
    .max(500, "At most 500 per day"),
  minGapSeconds: z.coerce
    .number({ error: "Enter seconds between 0 and 3600" })
    .int("Enter a whole number")
    .min(0, "Use 0 or more")
    .max(3600, "At most 3600 seconds (one hour)"),
};

export const ConnectForm = z.preprocess(
  (raw) => {
    const r = { ...(raw as Record<string, string | undefined>) } as Record<string, unknown>;
    for (const k of ["smtpHost", "imapHost", "imapUsername", "imapPassword", "imapPort", "signature", "smtpUsername"]) {
      if (blank(r[k])) r[k] = undefined;
    }
    if (!r.smtpUsername && typeof r.email === "string" && r.email.trim()) r.smtpUsername = r.email.trim();
    if (r.imapHost) {
      r.imapUsername ??= r.smtpUsername;
      r.imapPassword ??= r.smtpPassword;
    } else {
      // No IMAP host: the rest of the IMAP block means nothing.
      r.imapPort = r.imapUsername = r.imapPassword = undefined;
    }
    return r;
  },
  CreateMailboxInput.extend({
    ...Friendly,
    workspaceId: z.string({ error: "Choose a workspace" }).min(1, "Choose a workspace").max(64),
    email: z.string({ error: "Enter the mailbox's e-mail address" }).trim().toLowerCase().pipe(z.email("Enter a valid e-mail address")),
    smtpHost: z.string({ error: "Enter the SMTP host" }).pipe(CreateMailboxInput.shape.smtpHost),
    smtpPassword: z.string({ error: "Enter the password" }).min(1, "Enter the password").max(500),
  }),
);

export const SettingsForm = z.preprocess(
  (raw) => {
    const r = { ...(raw as Record<string, string | undefined>) } as Record<string, unknown>;
    // Blank passwords keep the stored ones.
    for (const k of ["smtpPassword", "imapPassword"]) if (blank(r[k])) r[k] = undefined;
    if (blank(r.signature)) r.signature = null;
    if (blank(r.imapHost)) r.imapHost = r.imapPort = r.imapUsername = null;
    else {
      if (blank(r.imapPort)) r.imapPort = null;
      // The stored IMAP username is not shown (the DTO leaves it out): blank keeps it.
      if (blank(r.imapUsername)) r.imapUsername = undefined;
    }
    return r;
  },
  UpdateMailboxInput.extend({
    ...Friendly,
    smtpHost: z.string({ error: "Enter the SMTP host" }).pipe(CreateMailboxInput.shape.smtpHost),
    smtpSecurity: UpdateMailboxInput.shape.smtpSecurity.unwrap(),
    timezone: UpdateMailboxInput.shape.timezone.unwrap(),
  }),
);

export const StatusForm = z.object({ status: z.enum(["active", "paused"]) });

export type Usage = { sentToday: number; lastSentAt: string | null } | null;

/** Today's count per mailbox from its pacer (the Durable Object that enforces the cap); null when it cannot answer. */
export async function mailboxUsage(env: Env, boxes: readonly { id: string; timezone: string }[]): Promise<Record<string, Usage>> {
  const entries = await Promise.all(
    boxes.map(async (b): Promise<[string, Usage]> => {
      try {
        const u = await mailboxPacer(env, b.id).usage(b.timezone);
        return [b.id, { sentToday: u.sentToday, lastSentAt: u.lastSentAt ? new Date(u.lastSentAt).toISOString() : null }];
      } catch {
        return [b.id, null];
      }
    }),
  );
  return Object.fromEntries(entries);
}
