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

/** One open or click as the pixel or redirect saw it: the tracking path reads no database. */
export const Hit = z.object({
  tenantId: z.string().min(1),
  campaignId: z.string().min(1),
  sendId: z.string().min(1),
  type: z.enum(["opened", "clicked"]),
  at: z.number(),
  flag: z.string().nullable(),
  url: z.string().max(4096).optional(),
});

/**
 * The hits one isolate gathered in a few milliseconds (tracking/buffer.ts), in one message. One
 * message per hit cost the pixel more than everything else it does (serialising and handing over
 * each message), and the queue bills per message; a hit here costs an array slot. Hits of several
 * tenants travel together: the consumer splits them by tenant.
 */
export const MAX_HITS_PER_MESSAGE = 500;
// Each hit is parsed on its own by the consumer (handleQueue), so one malformed hit is dropped
// alone instead of making the whole message, and up to 499 good hits, poison.
export const TrackHits = z.object({ kind: z.literal("track.hits"), hits: z.array(z.unknown()).min(1).max(MAX_HITS_PER_MESSAGE) });

/** A one-hit message, the shape before TrackHits: read while such messages may still be on the queue. */
export const TrackHit = Hit.extend({ kind: z.literal("track") });

/**
 * Send messages of the one-id shape (`sendId`) that were on the queue when this version was
 * deployed — waiting out a backoff, say — are read as a one-element `sendIds`.
 */
const fromOneId = (v: unknown) =>
  v && typeof v === "object" && (v as { kind?: unknown }).kind === "send" && "sendId" in v && !("sendIds" in v)
    ? { ...(v as object), sendIds: [(v as { sendId: unknown }).sendId] }
    : v;

export const QueueMessage = z.preprocess(fromOneId, z.discriminatedUnion("kind", [ImportStep, CampaignTick, SendJob, TrackHits, TrackHit]));
export type QueueMessage = z.infer<typeof QueueMessage>;
export type Hit = z.infer<typeof Hit>;
/** What the producer sends (tracking/buffer.ts); the consumer reads `hits` as unknown and parses each. */
export type TrackHits = { kind: "track.hits"; hits: Hit[] };
