/**
 * A deliberately small HTML tokenizer: enough to tell which elements are still open at a point,
 * whether we are inside a comment, a raw-text element or an unterminated tag. It backs the
 * validator's cheap checks and lets the footer close whatever the template left open.
 */
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]);
// Content of these is not markup: an unclosed one swallows everything after it as text.
export const RAW_TEXT = new Set(["script", "style", "textarea", "title", "xmp", "noscript", "iframe", "noembed", "noframes"]);
// HTML's "active formatting elements" (WHATWG HTML §13.2.4.3): one left unclosed outlives the
// element that implicitly closed it and is re-opened around later text.
export const FORMATTING = new Set(["a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"]);
// Elements whose end tag HTML lets authors omit; leaving them open is not worth a warning.
export const OPTIONAL_END = new Set([
  "html",
  "head",
  "body",
  "p",
  "li",
  "dt",
  "dd",
  "tr",
  "td",
  "th",
  "thead",
  "tbody",
  "tfoot",
  "option",
  "optgroup",
  "colgroup",
  "caption",
  "rt",
  "rp",
]);

export interface OpenTag {
  name: string;
  index: number;
}

export interface HtmlScan {
  /** Elements still open at the end, outermost first. */
  open: OpenTag[];
  strayClosings: OpenTag[];
  /** Elements closed implicitly by an outer end tag (`<div><span></div>`). */
  implicitlyClosed: OpenTag[];
  /** Set when the input ends inside `<!--`, a raw-text element or a tag (`<a href="…`). */
  unterminated: { kind: "comment" | "rawtext" | "tag"; name: string; index: number } | null;
  /** Opening tags in order, with their attribute text, for attribute checks. */
  tags: { name: string; attrs: string; index: number }[];
  /** Per element name (void and raw-text excluded): how many times it was opened and closed. */
  opened: Map<string, number>;
  closed: Map<string, number>;
  /** Formatting elements closed across a block (`<b><div></b>`), which browsers clone. */
  misnested: Map<string, number>;
}

const bump = (m: Map<string, number>, name: string) => m.set(name, (m.get(name) ?? 0) + 1);

const TOKEN = /<!--|<\/?([A-Za-z][A-Za-z0-9-]*)|<[!?]/g;
// Attribute text up to the closing `>`. Only a quote right after `=` starts a quoted value (which
// may hold `>`); one never closed runs to the end, as in a browser, so the tag is unterminated.
const ATTRS = /(?:[^>=]+|=\s*"[^"]*(?:"|$)|=\s*'[^']*(?:'|$)|=)*/y;

export function scanHtml(html: string): HtmlScan {
  const scan: HtmlScan = {
    open: [],
    strayClosings: [],
    implicitlyClosed: [],
    unterminated: null,
    tags: [],
    opened: new Map(),
    closed: new Map(),
    misnested: new Map(),
  };
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); m; m = TOKEN.exec(html)) {
    const at = m.index;
    if (m[0] === "<!--") {
      const end = html.indexOf("-->", at + 4);
      if (end < 0) return { ...scan, unterminated: { kind: "comment", name: "!--", index: at } };
      TOKEN.lastIndex = end + 3;
      continue;
    }
    ATTRS.lastIndex = at + m[0].length;
    const attrs = ATTRS.exec(html)![0];
    const gt = at + m[0].length + attrs.length;
    if (html[gt] !== ">") return { ...scan, unterminated: { kind: "tag", name: m[1]?.toLowerCase() ?? m[0], index: at } };
    TOKEN.lastIndex = gt + 1;
    if (!m[1]) continue; // <!doctype …>, <?…>
    const name = m[1].toLowerCase();
    if (m[0][1] === "/") {
      closeTag(scan, name, at);
      continue;
    }
    scan.tags.push({ name, attrs, index: at });
    if (VOID.has(name) || attrs.trimEnd().endsWith("/")) continue;
    if (RAW_TEXT.has(name)) {
      const closing = new RegExp(`</${name}`, "gi");
      closing.lastIndex = gt + 1;
      const end = closing.exec(html)?.index ?? -1;
      if (end < 0) return { ...scan, unterminated: { kind: "rawtext", name, index: at } };
      TOKEN.lastIndex = end;
      continue;
    }
    scan.open.push({ name, index: at });
    bump(scan.opened, name);
  }
  return scan;
}

function closeTag(scan: HtmlScan, name: string, index: number): void {
  if (RAW_TEXT.has(name)) return; // its opening tag was skipped together with its content
  const k = scan.open.findLastIndex((t) => t.name === name);
  if (k < 0) {
    scan.strayClosings.push({ name, index }); // parsers ignore it: it closes nothing
    return;
  }
  bump(scan.closed, name);
  const inner = scan.open.slice(k + 1);
  // `<b><div></b>`: browsers keep the <div> open and re-open a clone of <b> inside it.
  if (FORMATTING.has(name) && inner.some((t) => !FORMATTING.has(t.name))) bump(scan.misnested, name);
  scan.implicitlyClosed.push(...inner);
  scan.open.length = k;
}
