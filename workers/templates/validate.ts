import { type CompiledPart, compileTemplate } from "./compile.ts";
import { OPTIONAL_END, scanHtml } from "./html-scan.ts";
import { makeIssue } from "./issues.ts";
import { readField } from "./merge-fields.ts";
import { singleLine } from "./sanitize.ts";
import { HTML_MAX, type Issue, type LeadLike, SUBJECT_MAX, TEXT_MAX, type TemplateInput, type TemplatePart } from "./schemas.ts";

export interface ValidateOptions {
  /** The tenant's custom lead fields; {{custom.x}} for any other x is an error. */
  knownCustomFields: readonly string[];
  /** A few real leads: fields without a fallback that some of them lack are warned about. */
  sampleLeads?: readonly LeadLike[];
}

export interface ValidationResult {
  errors: Issue[];
  warnings: Issue[];
}

const PART_ORDER: Record<TemplatePart, number> = { subject: 0, text: 1, html: 2 };
const byPosition = (a: Issue, b: Issue) => PART_ORDER[a.part] - PART_ORDER[b.part] || a.index - b.index;

/** Everything wrong with a template, for the editor and for save-time checks. Never throws. */
export function validateTemplate(input: TemplateInput, opts: ValidateOptions): ValidationResult {
  const tooLong = checkLengths(input);
  // Oversized input is rejected before parsing so the validator's cost stays bounded.
  if (tooLong.length > 0) return { errors: tooLong, warnings: [] };

  const compiled = compileTemplate(input);
  const errors = [...compiled.errors];
  const warnings = [...compiled.warnings];
  if (input.text.trim() === "") errors.push(makeIssue("EMPTY_TEXT", "The plain-text body is empty.", "text", input.text, 0));
  if (input.subject.trim() === "") warnings.push(makeIssue("EMPTY_SUBJECT", "The subject is empty.", "subject", input.subject, 0));

  const parts: [TemplatePart, CompiledPart][] = [
    ["subject", compiled.subject],
    ["text", compiled.text],
  ];
  if (compiled.html) parts.push(["html", compiled.html]);
  for (const [part, p] of parts) checkFields(part, p, opts, errors, warnings);
  if (input.html !== undefined) checkHtml(input.html, errors, warnings);

  return { errors: errors.sort(byPosition), warnings: warnings.sort(byPosition) };
}

function checkLengths(input: TemplateInput): Issue[] {
  const limits: [TemplatePart, string | undefined, number][] = [
    ["subject", input.subject, SUBJECT_MAX],
    ["text", input.text, TEXT_MAX],
    ["html", input.html, HTML_MAX],
  ];
  return limits
    .filter(([, src, max]) => src !== undefined && src.length > max)
    .map(([part, src, max]) => makeIssue("TOO_LONG", `The ${part} is ${src!.length} characters; the limit is ${max}.`, part, "", max));
}

function checkFields(part: TemplatePart, p: CompiledPart, opts: ValidateOptions, errors: Issue[], warnings: Issue[]): void {
  const leads = opts.sampleLeads ?? [];
  for (const f of p.fields) {
    const field = f.ref.name;
    if (f.ref.scope === "custom" && !opts.knownCustomFields.includes(f.ref.key)) {
      errors.push(makeIssue("UNKNOWN_VARIABLE", `Unknown custom field {{${field}}}.`, part, p.source, f.index, { field }));
      continue;
    }
    // Sender fields come from the mailbox, not the lead; sample leads say nothing about them.
    if (f.fallback !== null || f.ref.scope === "sender" || leads.length === 0) continue;
    const lacking = leads.filter((lead) => singleLine(readField(f.ref, lead, {}) ?? "", true) === "").length;
    if (lacking === 0) continue;
    const message = `{{${field}}} has no fallback and ${lacking} of ${leads.length} sample leads have no value: they would get an empty ${field}. Add | default: "…".`;
    warnings.push(makeIssue("MISSING_FALLBACK", message, part, p.source, f.index, { field, count: lacking }));
  }
}

// Stripped or blocked by mail clients, and strong spam signals.
const FORBIDDEN = new Set(["script", "iframe", "object", "embed", "applet", "form", "plaintext", "frame", "frameset", "base"]);
const EVENT_HANDLER = /(?:^|[\s"'/])on[a-z]+\s*=/i;
const SCRIPT_URL = /(?:href|src|action|background)\s*=\s*["']?\s*(?:javascript|vbscript):/i;
const HIDDEN = /display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d])/i;
const STYLE_BLOCK = /<style\b[^>]*>([\s\S]*?)(?:<\/style|$)/gi;

function checkHtml(html: string, errors: Issue[], warnings: Issue[]): void {
  const at = (list: Issue[], code: Issue["code"], message: string, index: number) =>
    list.push(makeIssue(code, message, "html", html, index));
  const scan = scanHtml(html);
  for (const t of scan.tags) {
    if (FORBIDDEN.has(t.name)) at(errors, "HTML_FORBIDDEN_TAG", `<${t.name}> is not allowed in e-mail.`, t.index);
    if (EVENT_HANDLER.test(t.attrs)) at(errors, "HTML_EVENT_HANDLER", `<${t.name}> has an on…= event handler attribute.`, t.index);
    if (SCRIPT_URL.test(t.attrs)) at(errors, "HTML_JAVASCRIPT_URL", `<${t.name}> links to a script URL.`, t.index);
  }
  const u = scan.unterminated;
  if (u) {
    const what =
      u.kind === "comment"
        ? "This comment (<!--) is never closed"
        : u.kind === "rawtext"
          ? `<${u.name}> is never closed`
          : "This tag is missing its >";
    at(errors, "HTML_UNTERMINATED", `${what}; everything after it would be hidden or garbled.`, u.index);
  }
  for (const t of [...scan.implicitlyClosed, ...scan.open]) {
    if (!OPTIONAL_END.has(t.name)) at(warnings, "HTML_UNCLOSED_TAG", `<${t.name}> is not closed.`, t.index);
  }
  for (const t of scan.strayClosings) at(warnings, "HTML_STRAY_CLOSING_TAG", `</${t.name}> closes nothing.`, t.index);
  const hidden = HIDDEN.exec(html);
  if (hidden) at(warnings, "HTML_HIDDEN_CONTENT", "Hidden text is a spam-filter signal; remove it.", hidden.index);
  for (const m of html.matchAll(STYLE_BLOCK)) {
    if (/(?:^|[^\\])[{}]/.test(m[1] ?? "")) {
      at(
        warnings,
        "HTML_STYLE_BRACES",
        "Braces in <style> are read as spintax; write \\{ and \\} or use inline style attributes.",
        m.index,
      );
    }
  }
}
