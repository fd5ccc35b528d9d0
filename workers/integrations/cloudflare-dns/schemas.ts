import { z } from "zod";

/** Cloudflare API v4 envelope and DNS record shapes (developers.cloudflare.com/api, dns_records). */
export const CfMessage = z.object({
  code: z.number().int(),
  message: z.string(),
  error_chain: z.array(z.object({ code: z.number().int(), message: z.string() })).optional(),
});
export type CfMessage = z.infer<typeof CfMessage>;

export const envelope = <T extends z.ZodType>(result: T) =>
  z.object({
    success: z.boolean(),
    errors: z.array(CfMessage),
    messages: z.array(z.unknown()).optional(),
    result: result,
    result_info: z
      .object({ page: z.number(), per_page: z.number(), count: z.number(), total_count: z.number(), total_pages: z.number().optional() })
      .optional(),
  });

export const CfFailure = z.object({ success: z.literal(false), errors: z.array(CfMessage) });

export const CfDnsRecordWire = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  content: z.string(),
  ttl: z.number().int(),
  proxied: z.boolean().nullish(),
  priority: z.number().int().nullish(),
  comment: z.string().nullish(),
  created_on: z.string().nullish(),
  modified_on: z.string().nullish(),
});
export type CfDnsRecordWire = z.infer<typeof CfDnsRecordWire>;

export const CfRecordEnvelope = envelope(CfDnsRecordWire);
export const CfRecordListEnvelope = envelope(z.array(CfDnsRecordWire));
export const CfDeleteEnvelope = envelope(z.object({ id: z.string() }));
