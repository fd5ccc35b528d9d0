import { z } from "zod";

// Source limits. 500 keeps subjects far below RFC 5322's 998-character line limit even after
// merge values are substituted; bodies are capped so one template cannot blow a Worker's memory.
export const SUBJECT_MAX = 500;
export const TEXT_MAX = 100_000;
export const HTML_MAX = 500_000;
/** RFC 5322 §2.1.1: no header line may exceed 998 characters. Checked on the rendered subject. */
export const RENDERED_SUBJECT_MAX = 998;

// Control characters other than tab, LF and CR never belong in a template source.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NO_CONTROLS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;
const noControls = (s: string) => NO_CONTROLS.test(s);
const CONTROL_MESSAGE = "must not contain control characters";

export const TemplateInput = z.object({
  subject: z.string().max(SUBJECT_MAX).refine(noControls, CONTROL_MESSAGE),
  text: z.string().min(1, "Plain-text body is required").max(TEXT_MAX).refine(noControls, CONTROL_MESSAGE),
  html: z.string().max(HTML_MAX).refine(noControls, CONTROL_MESSAGE).optional(),
});
export type TemplateInput = z.infer<typeof TemplateInput>;

const FieldValue = z.string().nullish();

/** The lead attributes merge fields read. Extra properties (a whole DB row) are fine. */
export const LeadLike = z.object({
  id: z.string().optional(),
  email: FieldValue,
  firstName: FieldValue,
  lastName: FieldValue,
  company: FieldValue,
  title: FieldValue,
  phone: FieldValue,
  website: FieldValue,
  city: FieldValue,
  country: FieldValue,
  custom: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).nullish()).nullish(),
});
export type LeadLike = z.infer<typeof LeadLike>;

export const SenderLike = z.object({
  email: FieldValue,
  firstName: FieldValue,
  lastName: FieldValue,
  /** Plain text; its line breaks are kept in bodies (the only multi-line merge value). */
  signature: FieldValue,
});
export type SenderLike = z.infer<typeof SenderLike>;

const httpUrl = (s: string) => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a URL with controls or spaces could split a line
  if (/[\s\u0000-\u001F\u007F]/.test(s)) return false;
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
};

/** CAN-SPAM / PECR: every cold e-mail carries a postal address and a working unsubscribe link. */
export const ComplianceFooter = z.object({
  postalAddress: z.string().trim().min(1, "Postal address is required").max(500),
  unsubscribeUrl: z.string().max(2048).refine(httpUrl, "must be an absolute http(s) URL without spaces"),
});
export type ComplianceFooter = z.infer<typeof ComplianceFooter>;

export const ISSUE_CODES = [
  "UNKNOWN_VARIABLE",
  "RESERVED_VARIABLE",
  "INVALID_MERGE_FIELD",
  "UNBALANCED_BRACE",
  "EMPTY_SPINTAX_OPTION",
  "SINGLE_SPINTAX_OPTION",
  "MISSING_FALLBACK",
  "EMPTY_TEXT",
  "EMPTY_SUBJECT",
  "TOO_LONG",
  "HTML_FORBIDDEN_TAG",
  "HTML_EVENT_HANDLER",
  "HTML_JAVASCRIPT_URL",
  "HTML_UNCLOSED_TAG",
  "HTML_STRAY_CLOSING_TAG",
  "HTML_UNTERMINATED",
  "HTML_HIDDEN_CONTENT",
  "HTML_STYLE_BRACES",
] as const;
export const IssueCode = z.enum(ISSUE_CODES);
export type IssueCode = z.infer<typeof IssueCode>;

export const TemplatePart = z.enum(["subject", "text", "html"]);
export type TemplatePart = z.infer<typeof TemplatePart>;

/** One validator finding. `index` is a UTF-16 offset into that part's source; line/column are 1-based. */
export const TemplateIssue = z.object({
  code: IssueCode,
  message: z.string(),
  part: TemplatePart,
  index: z.number().int().min(0),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  field: z.string().optional(),
  count: z.number().int().min(0).optional(),
});
export type TemplateIssue = z.infer<typeof TemplateIssue>;
export type Issue = TemplateIssue;
