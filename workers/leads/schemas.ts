import { z } from "@hono/zod-openapi";
import { FIELD_TYPES, LAWFUL_BASES, LEAD_STATUSES } from "./tables.ts";

const opt = (max: number) => z.string().trim().max(max).nullable().optional();

/** IANA zone check with the runtime's own tz database (Intl), so it matches what scheduling uses. */
export const Timezone = z
  .string()
  .trim()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "Unknown IANA time zone (e.g. Europe/Berlin)");

export const AttributeValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

export const LeadFieldsInput = z.object({
  firstName: opt(100),
  lastName: opt(100),
  company: opt(200),
  title: opt(200),
  phone: opt(50),
  website: opt(500),
  city: opt(100),
  country: opt(100),
  timezone: Timezone.nullable().optional(),
  attributes: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), AttributeValue).optional(),
  source: opt(100),
  consentBasis: z.enum(LAWFUL_BASES).nullable().optional(),
  consentSource: opt(200),
  consentCollectedAt: z.iso.datetime({ offset: true }).nullable().optional(),
});

export const CreateLeadInput = LeadFieldsInput.extend({
  workspaceId: z.string().min(1).max(64),
  email: z.string().trim().min(3).max(254).openapi({ example: "ada@example.com" }),
  listIds: z.array(z.string().max(64)).max(50).optional(),
}).openapi("CreateLeadInput");
export type CreateLeadInput = z.infer<typeof CreateLeadInput>;

export const UpdateLeadInput = LeadFieldsInput.extend({
  email: z.string().trim().min(3).max(254).optional(),
  status: z.enum(LEAD_STATUSES).optional(),
}).openapi("UpdateLeadInput");
export type UpdateLeadInput = z.infer<typeof UpdateLeadInput>;

export const LeadDto = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    company: z.string().nullable(),
    title: z.string().nullable(),
    phone: z.string().nullable(),
    website: z.string().nullable(),
    city: z.string().nullable(),
    country: z.string().nullable(),
    timezone: z.string().nullable(),
    attributes: z.record(z.string(), AttributeValue),
    status: z.enum(LEAD_STATUSES),
    source: z.string().nullable(),
    consentBasis: z.enum(LAWFUL_BASES).nullable(),
    consentSource: z.string().nullable(),
    consentCollectedAt: z.string().nullable(),
    listIds: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Lead");
export type LeadDto = z.infer<typeof LeadDto>;

export const ListLeadsQuery = z.object({
  workspaceId: z.string().max(64).optional(),
  q: z.string().trim().max(200).optional(),
  status: z.enum(LEAD_STATUSES).optional(),
  listId: z.string().max(64).optional(),
  attribute: z
    .string()
    .max(200)
    .regex(/^[a-z][a-z0-9_]{0,39}=.*$/, "Use key=value")
    .optional()
    .openapi({ description: "Custom attribute filter, key=value" }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListLeadsQuery = z.infer<typeof ListLeadsQuery>;

export const BulkLeadsInput = z
  .object({
    leadIds: z.array(z.string().max(64)).min(1).max(5000),
    action: z.enum(["add_to_list", "remove_from_list", "delete"]),
    listId: z.string().max(64).optional(),
  })
  .openapi("BulkLeadsInput");

export const CreateListInput = z
  .object({ workspaceId: z.string().max(64), name: z.string().trim().min(1).max(100) })
  .openapi("CreateListInput");
export const ListDto = z
  .object({ id: z.string(), workspaceId: z.string(), name: z.string(), leads: z.number().int(), createdAt: z.string() })
  .openapi("LeadList");

export const FieldInput = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "Lower-case letters, digits and _; start with a letter"),
    label: z.string().trim().min(1).max(80),
    type: z.enum(FIELD_TYPES),
  })
  .openapi("LeadFieldInput");
