import { z } from "zod";

/** Queue messages carry ids only; consumers load what they need and are idempotent. */
export const ImportStep = z.object({ kind: z.literal("lead_import.step"), tenantId: z.string().min(1), importId: z.string().min(1) });
export const CampaignTick = z.object({ kind: z.literal("campaign.tick"), tenantId: z.string().min(1), campaignId: z.string().min(1) });
/**
 * Sends per send-queue message. A consumer batch of 100 messages then carries up to 1,000 sends,
 * so the per-batch costs (a database connection, two planned statements, a transaction for the
 * outcomes, the clock) are shared by ten times as many messages, and the queue bills a tenth of
 * the operations. A message is retried as a whole; its sends that already went are claimed and
 * skipped, so a retry resends nothing.
 */
export const SEND_IDS_PER_MESSAGE = 10;
export const SendJob = z.object({
  kind: z.literal("send"),
  tenantId: z.string().min(1),
  sendIds: z.array(z.string().min(1)).min(1).max(SEND_IDS_PER_MESSAGE),
});

export const TrackHit = z.object({
  kind: z.literal("track"),
  tenantId: z.string().min(1),
  campaignId: z.string().min(1),
  sendId: z.string().min(1),
  type: z.enum(["opened", "clicked"]),
  at: z.number(),
  flag: z.string().nullable(),
  url: z.string().max(4096).optional(),
});

/**
 * Send messages of the one-id shape (`sendId`) that were on the queue when this version was
 * deployed — waiting out a backoff, say — are read as a one-element `sendIds`.
 */
const fromOneId = (v: unknown) =>
  v && typeof v === "object" && (v as { kind?: unknown }).kind === "send" && "sendId" in v && !("sendIds" in v)
    ? { ...(v as object), sendIds: [(v as { sendId: unknown }).sendId] }
    : v;

export const QueueMessage = z.preprocess(fromOneId, z.discriminatedUnion("kind", [ImportStep, CampaignTick, SendJob, TrackHit]));
export type QueueMessage = z.infer<typeof QueueMessage>;
export type TrackHit = z.infer<typeof TrackHit>;
