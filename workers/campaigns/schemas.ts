import { z } from "@hono/zod-openapi";
import { isValidTimeZone } from "./time.ts";

export const MAX_STEPS = 7;
export const MAX_VARIANTS = 5;
export const DEFAULT_WAIT_MINUTES = 3 * 24 * 60; // SPEC decision 7: default wait 3 days

export const ScheduleInput = z
  .object({
    days: z.array(z.number().int().min(1).max(7)).min(1, "Pick at least one day").max(7).default([1, 2, 3, 4, 5]),
    startMinute: z
      .number()
      .int()
      .min(0)
      .max(1439)
      .default(9 * 60),
    endMinute: z
      .number()
      .int()
      .min(0)
      .max(1440)
      .default(17 * 60),
    timezone: z
      .string()
      .refine((tz) => tz === "lead" || isValidTimeZone(tz), 'Use an IANA zone or "lead"')
      .default("UTC"),
    fallbackTimezone: z.string().refine(isValidTimeZone, "Unknown IANA time zone").default("UTC"),
    startAt: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .refine((s) => s.startMinute !== s.endMinute, "The sending window is empty");
export type ScheduleInput = z.infer<typeof ScheduleInput>;

export const VariantInput = z.object({
  templateId: z.string().max(64).nullable().optional(),
  subject: z.string().max(500).optional(),
  text: z.string().max(100_000).optional(),
  html: z.string().max(500_000).nullable().optional(),
});

export const StepInput = z.object({
  waitMinutes: z
    .number()
    .int()
    .min(0)
    .max(90 * 24 * 60)
    .default(DEFAULT_WAIT_MINUTES),
  condition: z.enum(["always", "not_replied", "not_opened", "not_clicked"]).default("not_replied"),
  variants: z.array(VariantInput).min(1).max(MAX_VARIANTS),
});

const CampaignFields = z.object({
  name: z.string().trim().min(1).max(200),
  trackOpens: z.boolean(),
  trackClicks: z.boolean(),
  listIds: z.array(z.string().max(64)).max(50),
  mailboxIds: z.array(z.string().max(64)).max(200),
  schedule: ScheduleInput,
  steps: z.array(StepInput).max(MAX_STEPS),
});

export const SaveCampaignInput = CampaignFields.extend({
  workspaceId: z.string().min(1).max(64),
  trackOpens: z.boolean().default(true),
  trackClicks: z.boolean().default(false),
  listIds: CampaignFields.shape.listIds.default([]),
  mailboxIds: CampaignFields.shape.mailboxIds.default([]),
  schedule: ScheduleInput.default({
    days: [1, 2, 3, 4, 5],
    startMinute: 540,
    endMinute: 1020,
    timezone: "UTC",
    fallbackTimezone: "UTC",
    startAt: null,
  }),
  steps: CampaignFields.shape.steps.default([]),
}).openapi("SaveCampaignInput");
export type SaveCampaignInput = z.infer<typeof SaveCampaignInput>;

// No defaults here: a field the update does not name must stay as it is (autosave).
export const UpdateCampaignInput = CampaignFields.partial().openapi("UpdateCampaignInput");
export type UpdateCampaignInput = z.infer<typeof UpdateCampaignInput>;

export const CampaignDto = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    status: z.enum(["draft", "scheduled", "sending", "paused", "completed"]),
    schedule: z.record(z.string(), z.unknown()),
    listIds: z.array(z.string()),
    mailboxIds: z.array(z.string()),
    trackOpens: z.boolean(),
    trackClicks: z.boolean(),
    steps: z.array(
      z.object({
        id: z.string(),
        position: z.number(),
        waitMinutes: z.number(),
        condition: z.string(),
        variants: z.array(
          z.object({
            id: z.string(),
            label: z.string(),
            templateId: z.string().nullable(),
            subject: z.string(),
            text: z.string(),
            html: z.string().nullable(),
          }),
        ),
      }),
    ),
    stats: z.object({
      enrolled: z.number(),
      active: z.number(),
      scheduled: z.number(),
      sent: z.number(),
      failed: z.number(),
      bounced: z.number(),
      unknown: z.number(),
      completed: z.number(),
      opened: z.number().openapi({ description: "Sends a person opened (approximate; machine opens are not counted)" }),
      appleMppOpened: z.number().openapi({
        description:
          "Sends opened through Apple Mail Privacy Protection, which loads every image on delivery: reported apart, never in `opened`",
      }),
      clicked: z.number().openapi({ description: "Sends a person clicked a link in (machine clicks are not counted)" }),
      replied: z.number().openapi({ description: "Leads who replied (auto-replies are not counted)" }),
      unsubscribed: z.number().openapi({ description: "Leads who unsubscribed through this campaign and have not resubscribed" }),
    }),
    launchedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    stoppedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Campaign");
export type CampaignDto = z.infer<typeof CampaignDto>;

const count = z.number().int().nonnegative();
/** One step variant's sends by outcome and what their recipients did (`stepStats`, GET /campaigns/{id}/steps). */
export const StepStat = z
  .object({
    stepId: z.string(),
    position: z.number().int().openapi({ description: "1-based place of the step in the sequence" }),
    variantId: z.string(),
    variant: z.string().openapi({ description: "A/B label", example: "A" }),
    subject: z.string(),
    hasHtml: z.boolean().openapi({ description: "Has an HTML version; opens are tracked only in HTML e-mails (a pixel)" }),
    sent: count,
    bounced: count,
    failed: count,
    unknown: count.openapi({ description: "Delivery outcome unknown; never resent automatically" }),
    inFlight: count.openapi({ description: "Queued, sending or waiting to retry" }),
    opened: count.openapi({ description: "Sends a person opened (approximate: image proxies and privacy features hide or fake opens)" }),
    clicked: count.openapi({ description: "Sends a person clicked a link in (machine clicks are not counted)" }),
    replied: count.openapi({ description: "Sends replied to (auto-replies are not counted)" }),
    unsubscribed: count.openapi({ description: "Sends whose recipient unsubscribed through them" }),
  })
  .openapi("CampaignStepStat");
export type StepStat = z.infer<typeof StepStat>;
