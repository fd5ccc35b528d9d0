import { scanHtml } from "./html-scan.ts";
import { TemplateError } from "./issues.ts";
import type { RenderedMessage } from "./render.ts";
import { escapeHtml, multiLine } from "./sanitize.ts";
import { ComplianceFooter } from "./schemas.ts";

/**
 * CAN-SPAM footer (postal address + unsubscribe link), appended AFTER rendering so no template
 * can omit, reorder or blank it. In HTML every element, comment or tag the template left open is
 * closed first, so the block cannot end up inside a hidden <div>, a comment or a <textarea>.
 */
export const TEXT_SEPARATOR = "---";

// Inline !important outranks any rule in the template's own <style> block.
const BLOCK_STYLE =
  "display:block!important;visibility:visible!important;opacity:1!important;margin-top:24px;padding-top:12px;border-top:1px solid #dddddd;font-size:12px!important;line-height:1.5;color:#666666!important;";
const LINK_STYLE = "color:#666666!important;font-size:12px!important;text-decoration:underline;";

function parseFooter(footer: ComplianceFooter): { lines: string[]; url: string } {
  const parsed = ComplianceFooter.safeParse(footer);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new TemplateError("INVALID_FOOTER", `Compliance footer is invalid: ${first?.path.join(".")} ${first?.message}`);
  }
  const lines = multiLine(parsed.data.postalAddress)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return { lines, url: parsed.data.unsubscribeUrl };
}

function textBlock(f: { lines: string[]; url: string }): string {
  return `${TEXT_SEPARATOR}\n${f.lines.join("\n")}\nUnsubscribe: ${f.url}\n`;
}

function htmlBlock(f: { lines: string[]; url: string }): string {
  const address = f.lines.map(escapeHtml).join("<br>");
  return `<div data-pm-footer="1" style="${BLOCK_STYLE}">${address}<br><a href="${escapeHtml(f.url)}" style="${LINK_STYLE}">Unsubscribe</a></div>`;
}

export function withComplianceFooter(rendered: RenderedMessage, footer: ComplianceFooter): RenderedMessage {
  const f = parseFooter(footer);
  const text = `${rendered.text.trimEnd()}\n\n${textBlock(f)}`;
  if (rendered.html === undefined) return { ...rendered, text };
  return { ...rendered, text, html: appendHtml(rendered.html, htmlBlock(f)) };
}

// Insert before a trailing </body>(</html>) when the document ends with one; otherwise append
// (mail clients render content after </html> in the body).
const DOCUMENT_END = /<\/body\s*>\s*(?:<\/html\s*>\s*)?$/i;

function appendHtml(html: string, block: string): string {
  const at = DOCUMENT_END.exec(html)?.index ?? html.length;
  const before = html.slice(0, at);
  return `${before}${closeEverything(before)}${block}${html.slice(at)}`;
}

/**
 * The markup that closes every tag, comment and element open at the end of `html`. Our scanner is
 * not the browser's tree builder, so after closing what it sees open (in nesting order) we add an
 * end tag per element opened more often than closed, and per misnested formatting element
 * (browsers clone those). Surplus end tags are ignored by parsers; a missing one could hide the footer.
 * An end tag also drops a formatting element that is no longer open from the list of elements the
 * parser would re-open around our text.
 */
function closeEverything(html: string): string {
  let fix = "";
  let scan = scanHtml(html);
  // At most two rounds: closing `<style a="` leaves an open <style> that the second round closes.
  for (let round = 0; scan.unterminated && round < 3; round++) {
    const u = scan.unterminated;
    // `"'>` ends any tag: it closes a "…" or '…' value (the other quote is a harmless junk
    // attribute), and in an unquoted value or a name both quotes are just characters.
    fix += u.kind === "comment" ? "-->" : u.kind === "rawtext" ? `</${u.name}>` : `"'>`;
    scan = scanHtml(html + fix);
  }
  const keep = (name: string) => name !== "html" && name !== "body";
  const closers = scan.open
    .map((t) => t.name)
    .filter(keep)
    .reverse();
  for (const [name, opens] of [...scan.opened].reverse()) {
    if (!keep(name)) continue;
    const stillOpen = scan.open.filter((t) => t.name === name).length;
    const surplus = opens - (scan.closed.get(name) ?? 0) - stillOpen + (scan.misnested.get(name) ?? 0);
    for (let k = 0; k < surplus; k++) closers.push(name);
  }
  return fix + closers.map((n) => `</${n}>`).join("");
}

// After the footer only end tags and whitespace may follow.
const ONLY_END_TAGS = /^(?:\s*<\/[A-Za-z][A-Za-z0-9-]*\s*>)*\s*$/;

/** True when the message ends with exactly this footer (the send path's tests assert it). */
export function hasComplianceFooter(rendered: RenderedMessage, footer: ComplianceFooter): boolean {
  const f = parseFooter(footer);
  if (!rendered.text.endsWith(`\n\n${textBlock(f)}`)) return false;
  if (rendered.html === undefined) return true;
  const block = htmlBlock(f);
  const at = rendered.html.lastIndexOf(block);
  return at >= 0 && ONLY_END_TAGS.test(rendered.html.slice(at + block.length));
}
