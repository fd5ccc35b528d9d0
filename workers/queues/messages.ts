import { z } from "zod";

/** Queue messages carry ids only; consumers load what they need and are idempotent. */
export const ImportStep = z.object({ kind: z.literal("lead_import.step"), tenantId: z.string().min(1), importId: z.string().min(1) });
export const CampaignTick = z.object({ kind: z.literal("campaign.tick"), tenantId: z.string().min(1), campaignId: z.string().min(1) });
export const SendJob = z.object({ kind: z.literal("send"), tenantId: z.string().min(1), sendId: z.string().min(1) });

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

export const QueueMessage = z.discriminatedUnion("kind", [ImportStep, CampaignTick, SendJob, TrackHit]);
export type QueueMessage = z.infer<typeof QueueMessage>;
export type TrackHit = z.infer<typeof TrackHit>;
