// Line breaks as any mail client or header parser may read them: CR, LF, NEL, LS, PS.
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029]+/g;
// C0 controls except tab/LF/CR, DEL and C1 controls: invisible at best, header-smuggling at worst.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g;

/** A merge value that must stay on one line: breaks become one space, controls go, ends trimmed. */
export function singleLine(value: string, keepTabs: boolean): string {
  const s = value.replace(CONTROLS, "").replace(LINE_BREAKS, " ");
  return (keepTabs ? s : s.replace(/\t/g, " ")).trim();
}

/** A multi-line merge value (the signature): breaks normalised to LF, controls go, ends trimmed. */
export function multiLine(value: string): string {
  return value
    .replace(CONTROLS, "")
    .replace(/\r\n?|[\u0085\u2028\u2029]/g, "\n")
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .trim();
}

/** The rendered subject: no line break can survive, whatever the template or the lead contained. */
export function cleanSubject(subject: string): string {
  return subject
    .replace(CONTROLS, "")
    .replace(/[ \t]*[\r\n\u0085\u2028\u2029]+[ \t]*/g, " ")
    .replace(/\t/g, " ")
    .trim();
}

/** A rendered body: LF line endings (the MIME layer writes CRLF), no stray controls. */
export function cleanBody(body: string): string {
  return body.replace(CONTROLS, "").replace(/\r\n?/g, "\n");
}

const HTML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Safe in element content and in quoted attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}
