import { z } from "@hono/zod-openapi";
import { HTML_MAX, SUBJECT_MAX, TEXT_MAX } from "./schemas.ts";

const Tag = z.string().trim().min(1).max(40);

export const SaveTemplateInput = z
  .object({
    workspaceId: z.string().min(1).max(64),
    name: z.string().trim().min(1).max(120),
    folder: z.string().trim().max(80).nullable().optional(),
    tags: z.array(Tag).max(20).default([]),
    subject: z.string().max(SUBJECT_MAX),
    text: z.string().min(1, "Plain-text body is required").max(TEXT_MAX),
    html: z.string().max(HTML_MAX).nullable().optional(),
  })
  .openapi("SaveTemplateInput");
export type SaveTemplateInput = z.infer<typeof SaveTemplateInput>;

// No defaults: a field the update does not name must stay as it is.
export const UpdateTemplateInput = z
  .object({
    name: SaveTemplateInput.shape.name,
    folder: SaveTemplateInput.shape.folder,
    tags: z.array(Tag).max(20),
    subject: SaveTemplateInput.shape.subject,
    text: SaveTemplateInput.shape.text,
    html: SaveTemplateInput.shape.html,
  })
  .partial()
  .openapi("UpdateTemplateInput");
export type UpdateTemplateInput = z.infer<typeof UpdateTemplateInput>;

export const TemplateIssueDto = z.object({
  code: z.string(),
  message: z.string(),
  part: z.string(),
  index: z.number(),
  line: z.number(),
  column: z.number(),
  field: z.string().optional(),
  count: z.number().optional(),
});

export const TemplateDto = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    folder: z.string().nullable(),
    tags: z.array(z.string()),
    subject: z.string(),
    text: z.string(),
    html: z.string().nullable(),
    warnings: z.array(TemplateIssueDto),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Template");
export type TemplateDto = z.infer<typeof TemplateDto>;

export const PreviewInput = z
  .object({
    workspaceId: z.string().min(1).max(64),
    leadId: z.string().max(64).optional(),
    subject: z.string().max(SUBJECT_MAX),
    text: z.string().max(TEXT_MAX),
    html: z.string().max(HTML_MAX).nullable().optional(),
  })
  .openapi("PreviewTemplateInput");
export type PreviewInput = z.infer<typeof PreviewInput>;

export const PreviewDto = z
  .object({
    errors: z.array(TemplateIssueDto),
    warnings: z.array(TemplateIssueDto),
    rendered: z.object({ subject: z.string(), text: z.string(), html: z.string().optional() }).nullable(),
    lead: z.object({ id: z.string(), email: z.string() }).nullable(),
    missingPostalAddress: z.boolean(),
  })
  .openapi("TemplatePreview");
