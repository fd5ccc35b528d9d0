import { z } from "zod";

/** Queue messages carry ids only; consumers load what they need and are idempotent. */
export const ImportStep = z.object({ kind: z.literal("lead_import.step"), tenantId: z.string().min(1), importId: z.string().min(1) });
export const CampaignTick = z.object({ kind: z.literal("campaign.tick"), tenantId: z.string().min(1), campaignId: z.string().min(1) });
export const SendJob = z.object({ kind: z.literal("send"), tenantId: z.string().min(1), sendId: z.string().min(1) });

export const QueueMessage = z.discriminatedUnion("kind", [ImportStep, CampaignTick, SendJob]);
export type QueueMessage = z.infer<typeof QueueMessage>;
