import { AppError } from "../platform/errors.ts";
import type { Issue, IssueCode, TemplatePart } from "./schemas.ts";

export function makeIssue(
  code: IssueCode,
  message: string,
  part: TemplatePart,
  src: string,
  index: number,
  extra?: { field?: string; count?: number },
): Issue {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index && i < src.length; i++) {
    if (src.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { code, message, part, index, line, column: index - lineStart + 1, ...extra };
}

/**
 * Thrown when a message cannot be rendered completely. The send path must never emit a
 * half-rendered mail, so there is no "best effort" mode. It is an UNPROCESSABLE AppError, so an
 * API handler that lets it escape answers 422 with the issues.
 */
export class TemplateError extends AppError {
  readonly reason: IssueCode | "SUBJECT_TOO_LONG" | "INVALID_FOOTER";
  readonly templateIssues: Issue[];
  constructor(reason: TemplateError["reason"], message: string, issues: Issue[] = []) {
    super("UNPROCESSABLE", message, {
      issues: issues.map((i) => ({ path: `${i.part}:${i.line}:${i.column}`, message: i.message })),
    });
    this.reason = reason;
    this.templateIssues = issues;
  }
}

export const isTemplateError = (err: unknown): err is TemplateError => err instanceof TemplateError;
