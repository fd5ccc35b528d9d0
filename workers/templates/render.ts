import { type CompiledTemplate, compileTemplate, isCompiledTemplate, type Node } from "./compile.ts";
import { makeIssue, TemplateError } from "./issues.ts";
import { readField } from "./merge-fields.ts";
import { cleanBody, cleanSubject, escapeHtml, multiLine, singleLine } from "./sanitize.ts";
import { type LeadLike, RENDERED_SUBJECT_MAX, type SenderLike, type TemplateInput } from "./schemas.ts";
import { pickOption, spinPrefix } from "./spintax.ts";

export interface RenderContext {
  lead: LeadLike;
  sender: SenderLike;
  /** Stable per (lead, step), e.g. `${enrollmentId}:${stepId}`: the same seed always picks the same spins. */
  seed: string;
  /** The tenant's custom fields. When given, any other {{custom.*}} throws instead of rendering empty. */
  knownCustomFields?: readonly string[];
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html?: string;
}

type Mode = "subject" | "text" | "html";

interface Walk {
  ctx: RenderContext;
  mode: Mode;
  prefix: number;
  out: string[];
}

/** Renders the whole message or throws TemplateError; it never returns a partial message. */
export function renderMessage(template: TemplateInput | CompiledTemplate, ctx: RenderContext): RenderedMessage {
  const t = isCompiledTemplate(template) ? template : compileTemplate(template);
  if (t.errors.length > 0) {
    const first = t.errors[0]!;
    throw new TemplateError(first.code, `Template cannot be rendered: ${first.message}`, [...t.errors]);
  }
  if (!ctx.seed) throw new Error("renderMessage: seed is required so retries render the same spintax");
  if (ctx.knownCustomFields) assertCustomFieldsKnown(t, ctx.knownCustomFields);

  const body = spinPrefix(ctx.seed, "body");
  const subject = cleanSubject(walk(t.subject.nodes, { ctx, mode: "subject", prefix: spinPrefix(ctx.seed, "subject"), out: [] }));
  if (subject.length > RENDERED_SUBJECT_MAX) {
    throw new TemplateError("SUBJECT_TOO_LONG", `Rendered subject is ${subject.length} characters; the limit is ${RENDERED_SUBJECT_MAX}.`);
  }
  const text = cleanBody(walk(t.text.nodes, { ctx, mode: "text", prefix: body, out: [] }));
  if (!t.html) return { subject, text };
  return { subject, text, html: cleanBody(walk(t.html.nodes, { ctx, mode: "html", prefix: body, out: [] })) };
}

function walk(nodes: readonly Node[], w: Walk): string {
  emit(nodes, w);
  return w.out.join("");
}

function emit(nodes: readonly Node[], w: Walk): void {
  for (const n of nodes) {
    if (n.kind === "text") w.out.push(n.value);
    else if (n.kind === "spin") emit(n.options[pickOption(w.prefix, n.id, n.options.length)]!, w);
    else w.out.push(fieldValue(n, w));
  }
}

function fieldValue(n: Extract<Node, { kind: "field" }>, w: Walk): string {
  const keepTabs = w.mode !== "subject";
  // The signature is the one multi-line value; everything else is forced onto one line.
  const multi = n.ref.scope === "sender" && n.ref.key === "signature" && w.mode !== "subject";
  const raw = readField(n.ref, w.ctx.lead, w.ctx.sender);
  let v = raw === null ? "" : multi ? multiLine(raw) : singleLine(raw, keepTabs);
  if (v === "" && n.fallback !== null) v = singleLine(n.fallback, keepTabs);
  if (w.mode !== "html") return v;
  const escaped = escapeHtml(v);
  return multi ? escaped.replace(/\n/g, "<br>\n") : escaped;
}

function assertCustomFieldsKnown(t: CompiledTemplate, known: readonly string[]): void {
  const parts = [["subject", t.subject], ["text", t.text], ...(t.html ? [["html", t.html] as const] : [])] as const;
  for (const [part, p] of parts) {
    for (const f of p.fields) {
      if (f.ref.scope === "custom" && !known.includes(f.ref.key)) {
        const issue = makeIssue("UNKNOWN_VARIABLE", `Unknown custom field {{${f.ref.name}}}.`, part, p.source, f.index, {
          field: f.ref.name,
        });
        throw new TemplateError("UNKNOWN_VARIABLE", issue.message, [issue]);
      }
    }
  }
}
