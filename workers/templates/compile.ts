import { makeIssue } from "./issues.ts";
import { type FieldRef, lookupField, parseFieldBody } from "./merge-fields.ts";
import type { Issue, TemplateInput, TemplatePart } from "./schemas.ts";

/**
 * Parse once, render many. Grammar per part:
 *   `{{ name }}` / `{{ name | default: "x" }}`  merge field (ends at the first `}}` outside quotes)
 *   `{a|b|{c|d}}`                                 spintax, nestable
 *   `\{` `\}` `\|`                                literal characters
 * A run of three or more `{` opens spintax until exactly `{{` is left, so `{{{first_name}}|there}`
 * is a spin whose first option is a merge field.
 */
export type Node =
  | { kind: "text"; value: string }
  | { kind: "field"; ref: FieldRef; fallback: string | null; index: number }
  | { kind: "spin"; id: number; options: Node[][]; index: number };

export interface FieldUse {
  ref: FieldRef;
  fallback: string | null;
  index: number;
}

export interface CompiledPart {
  readonly source: string;
  readonly nodes: readonly Node[];
  /** Every merge field in source order, chosen or not: what the validator and callers inspect. */
  readonly fields: readonly FieldUse[];
}

const COMPILED: unique symbol = Symbol("compiledTemplate");

export interface CompiledTemplate {
  readonly [COMPILED]: true;
  readonly subject: CompiledPart;
  readonly text: CompiledPart;
  readonly html?: CompiledPart;
  /** Syntax and vocabulary errors. A template with any cannot be rendered. */
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
}

export const isCompiledTemplate = (t: unknown): t is CompiledTemplate => typeof t === "object" && t !== null && COMPILED in t;

export function compileTemplate(src: TemplateInput): CompiledTemplate {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const subject = compilePart(src.subject, "subject", errors, warnings);
  const text = compilePart(src.text, "text", errors, warnings);
  const html = src.html === undefined ? undefined : compilePart(src.html, "html", errors, warnings);
  return Object.freeze({ [COMPILED]: true as const, subject, text, ...(html && { html }), errors, warnings });
}

interface Frame {
  index: number;
  id: number;
  options: Node[][];
  current: Node[];
  optionStart: number;
}

const SPECIAL = /[\\{}|]/g;

function compilePart(src: string, part: TemplatePart, errors: Issue[], warnings: Issue[]): CompiledPart {
  const partErrors: Issue[] = [];
  const issue = (list: Issue[], code: Issue["code"], message: string, index: number) =>
    list.push(makeIssue(code, message, part, src, index));
  const root: Node[] = [];
  const fields: FieldUse[] = [];
  const stack: Frame[] = [];
  let spins = 0;
  let buf = "";
  const out = () => stack.at(-1)?.current ?? root;
  const flush = () => {
    if (!buf) return;
    const list = out();
    const last = list.at(-1);
    if (last?.kind === "text") last.value += buf;
    else list.push({ kind: "text", value: buf });
    buf = "";
  };
  const endOption = (f: Frame, at: number) => {
    if (f.current.every((n) => n.kind === "text" && n.value.trim() === "")) {
      issue(partErrors, "EMPTY_SPINTAX_OPTION", "Spintax option is empty; every option between { | } needs text.", f.optionStart);
    }
    f.options.push(f.current);
    f.current = [];
    f.optionStart = at + 1;
  };

  let i = 0;
  while (i < src.length) {
    SPECIAL.lastIndex = i;
    const next = SPECIAL.exec(src)?.index ?? src.length;
    buf += src.slice(i, next);
    i = next;
    if (i >= src.length) break;
    const c = src[i];
    if (c === "\\") {
      const n = src[i + 1];
      const escapes = n === "{" || n === "}" || n === "|";
      buf += escapes ? n : "\\";
      i += escapes ? 2 : 1;
    } else if (c === "{" && src[i + 1] === "{" && src[i + 2] !== "{") {
      i = compileField(
        src,
        i,
        (node) => {
          flush();
          out().push(node);
          fields.push({ ref: node.ref, fallback: node.fallback, index: node.index });
        },
        (code, message) => issue(partErrors, code, message, i),
      );
    } else if (c === "{") {
      flush();
      stack.push({ index: i, id: spins++, options: [], current: [], optionStart: i + 1 });
      i++;
    } else if (c === "}") {
      const f = stack.at(-1);
      if (!f) {
        issue(partErrors, "UNBALANCED_BRACE", "Closing } has no matching {. Write \\} for a literal brace.", i);
        buf += "}";
      } else {
        flush();
        endOption(f, i);
        stack.pop();
        if (f.options.length === 1) {
          issue(
            warnings,
            "SINGLE_SPINTAX_OPTION",
            "Spintax with one option always renders it; write \\{ and \\} for literal braces.",
            f.index,
          );
        }
        out().push({ kind: "spin", id: f.id, options: f.options, index: f.index });
      }
      i++;
    } else if (c === "|" && stack.length > 0) {
      flush();
      endOption(stack.at(-1)!, i);
      i++;
    } else {
      buf += c;
      i++;
    }
  }
  flush();
  for (const f of stack) {
    issue(partErrors, "UNBALANCED_BRACE", "This { is never closed. Write \\{ for a literal brace.", f.index);
  }
  partErrors.sort((a, b) => a.index - b.index);
  errors.push(...partErrors);
  return { source: src, nodes: root, fields };
}

type FieldNode = Extract<Node, { kind: "field" }>;

/** Compiles the merge field opening at `start` (`{{`); returns where parsing resumes. */
function compileField(
  src: string,
  start: number,
  emit: (node: FieldNode) => void,
  fail: (code: Issue["code"], message: string) => void,
): number {
  const close = findFieldEnd(src, start + 2);
  if (close < 0) {
    // Resume right after `{{` so the rest of the line is still checked.
    const sameLine = src.indexOf("}}", start + 2);
    const lineEnd = src.indexOf("\n", start);
    if (sameLine < 0 || (lineEnd >= 0 && sameLine > lineEnd)) {
      fail("UNBALANCED_BRACE", "This {{ is never closed with }} on the same line.");
      return start + 2;
    }
    fail("INVALID_MERGE_FIELD", `{{${src.slice(start + 2, sameLine).trim()}}} is not a valid merge field (unclosed quote or stray brace).`);
    return sameLine + 2;
  }
  const parsed = parseFieldBody(src.slice(start + 2, close));
  if (!parsed.ok) {
    fail("INVALID_MERGE_FIELD", parsed.message);
  } else {
    const found = lookupField(parsed.path);
    if (found.ok) emit({ kind: "field", ref: found.ref, fallback: parsed.fallback, index: start });
    else fail(found.reserved ? "RESERVED_VARIABLE" : "UNKNOWN_VARIABLE", found.message);
  }
  return close + 2;
}

/** Index of the `}}` ending a merge field body starting at `from`, or -1. Quotes may hold braces. */
function findFieldEnd(src: string, from: number): number {
  let quote: string | null = null;
  for (let j = from; j < src.length; j++) {
    const ch = src[j];
    if (ch === "\n") return -1;
    if (quote) {
      if (ch === "\\") j++;
      else if (ch === quote) quote = null;
    } else if (ch === "}" && src[j + 1] === "}") {
      return j;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === "{") {
      return -1;
    }
  }
  return -1;
}
