import { z } from "zod";

/** Queue messages carry ids only; consumers load what they need and are idempotent. */
export const ImportStep = z.object({ kind: z.literal("lead_import.step"), tenantId: z.string().min(1), importId: z.string().min(1) });

export const QueueMessage = z.discriminatedUnion("kind", [ImportStep]);
export type QueueMessage = z.infer<typeof QueueMessage>;
