import { cn } from "~/lib/cn";

export type TemplatePart = "subject" | "text" | "html";

/** A validator finding as the editor shows it (from the live preview, or from a refused save). */
export interface EditorIssue {
  code?: string;
  message: string;
  part: TemplatePart;
  line: number;
  column: number;
  /** UTF-16 offset into that part, when known (the save error only carries line:column). */
  index?: number;
}

export const PART_LABEL: Record<TemplatePart, string> = { subject: "Subject", text: "Plain-text body", html: "HTML body" };

const PATH = /^(subject|text|html):(\d+):(\d+)$/;

/** A refused save's `details.issues` arrive as field errors keyed "part:line:col". */
export function issuesFromFieldErrors(fieldErrors: Record<string, string[] | undefined> | undefined): EditorIssue[] {
  const out: EditorIssue[] = [];
  for (const [path, messages] of Object.entries(fieldErrors ?? {})) {
    const m = PATH.exec(path);
    if (!m) continue;
    for (const message of messages ?? []) {
      out.push({ part: m[1] as TemplatePart, line: Number(m[2]), column: Number(m[3]), message });
    }
  }
  return out;
}

/** Line/column (1-based) → offset in `src`, clamped to its length. */
export function offsetOf(src: string, line: number, column: number): number {
  let i = 0;
  for (let l = 1; l < line; l++) {
    const nl = src.indexOf("\n", i);
    if (nl === -1) return src.length;
    i = nl + 1;
  }
  return Math.min(src.length, i + column - 1);
}

/**
 * Errors (red) or warnings (amber), each with where it is. The location is a button that puts the
 * cursor there, so keyboard users can jump from the list to the problem.
 */
export function IssueList({
  issues,
  tone,
  onJump,
  className,
}: {
  issues: readonly EditorIssue[];
  tone: "error" | "warning";
  onJump?: (issue: EditorIssue) => void;
  className?: string;
}) {
  if (issues.length === 0) return null;
  return (
    <ul className={cn("flex flex-col gap-1.5 text-sm", className)}>
      {issues.map((i) => (
        <li
          // Issues have no id; position + text is unique enough and stable while typing elsewhere.
          key={`${i.part}:${i.line}:${i.column}:${i.code ?? ""}:${i.message}`}
          className={cn(
            "flex gap-2 rounded-md border px-3 py-2",
            tone === "error" ? "border-red-200 bg-red-50 text-red-800" : "border-amber-200 bg-amber-50 text-amber-900",
          )}
        >
          <span aria-hidden="true" className="mt-px select-none font-semibold">
            {tone === "error" ? "✕" : "!"}
          </span>
          <span className="min-w-0">
            {onJump ? (
              <button
                type="button"
                onClick={() => onJump(i)}
                className="mr-1.5 whitespace-nowrap font-mono text-xs font-semibold underline decoration-dotted underline-offset-2 hover:decoration-solid"
                aria-label={`${tone === "error" ? "Error" : "Warning"} in ${PART_LABEL[i.part]}, line ${i.line}, column ${i.column}: go there`}
              >
                {PART_LABEL[i.part]} {i.line}:{i.column}
              </button>
            ) : (
              <span className="mr-1.5 whitespace-nowrap font-mono text-xs font-semibold">
                {PART_LABEL[i.part]} {i.line}:{i.column}
              </span>
            )}
            <span className="break-words">{i.message}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
