import { describe, expect, it } from "vitest";
import { scanHtml } from "../../../workers/templates/html-scan.ts";
import {
  hasComplianceFooter,
  type RenderedMessage,
  renderMessage,
  TemplateError,
  withComplianceFooter,
} from "../../../workers/templates/index.ts";

const footer = { postalAddress: "Acme Inc.\n1 Main St\r\nSpringfield, IL 62701", unsubscribeUrl: "https://t.acme.test/u/abc?x=1&y=2" };
const FOOTER_OPEN = '<div data-pm-footer="1"';

/** The footer is live when nothing the template opened is still open where the footer starts. */
function footerIsLive(html: string): boolean {
  const at = html.lastIndexOf(FOOTER_OPEN);
  if (at < 0) return false;
  const before = scanHtml(html.slice(0, at));
  return before.unterminated === null && before.open.every((t) => t.name === "html" || t.name === "body");
}

const withFooter = (html: string) => withComplianceFooter({ subject: "s", text: "t", html }, footer);

describe("compliance footer", () => {
  it("appends a separator, the postal address and the unsubscribe URL to the text", () => {
    const out = withComplianceFooter({ subject: "s", text: "Hi Ada,\nbye.\n\n\n" }, footer);
    expect(out.text).toBe(
      "Hi Ada,\nbye.\n\n---\nAcme Inc.\n1 Main St\nSpringfield, IL 62701\nUnsubscribe: https://t.acme.test/u/abc?x=1&y=2\n",
    );
    expect(out.html).toBeUndefined();
    expect(out.subject).toBe("s");
  });

  it("appends an HTML block with the escaped address and an attribute-escaped link", () => {
    const out = withComplianceFooter(
      { subject: "s", text: "t", html: "<p>Hi</p>" },
      { postalAddress: "R&D <Lab>\n2 Side St", unsubscribeUrl: 'https://t.acme.test/u?a=1&b="><script>' },
    );
    expect(out.html).toMatch(/^<p>Hi<\/p><div data-pm-footer="1" style="[^"]*">R&amp;D &lt;Lab&gt;<br>2 Side St<br><a href="([^"]*)"/);
    expect(out.html).toContain('<a href="https://t.acme.test/u?a=1&amp;b=&quot;&gt;&lt;script&gt;"');
    expect(out.html).not.toContain("<script>");
    expect(out.html).not.toContain("<Lab>");
  });

  it("goes inside the body of a full document", () => {
    const out = withFooter("<html><body><p>Hi</p></body>\n</html>\n");
    expect(out.html).toMatch(/<p>Hi<\/p><div data-pm-footer="1"[\s\S]*<\/div><\/body>\n<\/html>\n$/);
  });

  it("cannot be hidden by elements, comments or tags the template leaves open", () => {
    const traps = [
      '<div style="display:none"><table><tr><td>hidden',
      "<p>Hi</p><!-- swallow the rest",
      '<p>Hi <a href="https://x.test/',
      '<p>Hi <a href="https://x.test/?a>b',
      "<p>Hi <img alt='",
      "<textarea>",
      '<style media="',
      "<template><p>inert",
      "<p>Hi</p><!-- </body></html>",
    ];
    for (const html of traps) {
      const out = withFooter(html);
      expect(footerIsLive(out.html!), html).toBe(true);
      expect(hasComplianceFooter(out, footer), html).toBe(true);
    }
    // A quoted value may contain ">": the tag is still open until the quote closes.
    expect(withFooter('<p>Hi <a href="https://x.test/?a>b').html).toMatch(
      /^<p>Hi <a href="https:\/\/x.test\/\?a>b"'><\/a><\/p><div data-pm-footer/,
    );
  });

  it("closes formatting elements browsers would re-open around it, and adds nothing to balanced HTML", () => {
    const prefixOf = (html: string) => {
      const out = withFooter(html).html!;
      return out.slice(0, out.indexOf(FOOTER_OPEN));
    };
    // An unclosed <font> survives the </div> and would wrap any later text.
    expect(prefixOf('<div><font style="display:none"></div>')).toBe('<div><font style="display:none"></div></font>');
    // Misnested: browsers keep the <div> open and clone <b> into it.
    expect(prefixOf('<b><div style="display:none"></b>')).toBe('<b><div style="display:none"></b></div></b>');
    // Stray end tags close nothing, so they must not cancel out a real opening.
    expect(prefixOf('</div></div><i><div style="display:none"></i>')).toBe('</div></div><i><div style="display:none"></i></div></i>');
    const balanced = '<p>Hi <a href="x">a</a>, <b>see</b> <a href="y">b</a></p><table><tr><td>x</td></tr></table>';
    expect(prefixOf(balanced)).toBe(balanced);
  });

  it("cannot be removed by the template: it is appended after rendering and footer names are refused", () => {
    const template = { subject: "s", text: "Hi {{first_name}}", html: "<p>Hi {{first_name}}</p>" };
    const lead = { firstName: "Unsubscribe: https://t.acme.test/u/abc?x=1&y=2" };
    const out = withComplianceFooter(renderMessage(template, { lead, sender: {}, seed: "x" }), footer);
    expect(hasComplianceFooter(out, footer)).toBe(true);
    expect(() => renderMessage({ subject: "s", text: "{{unsubscribe_url}}" }, { lead, sender: {}, seed: "x" })).toThrow(TemplateError);
  });

  it("is detected only when this exact footer ends the message", () => {
    const plain: RenderedMessage = { subject: "s", text: "Hi", html: "<p>Hi</p>" };
    expect(hasComplianceFooter(plain, footer)).toBe(false);
    const out = withComplianceFooter(plain, footer);
    expect(hasComplianceFooter(out, footer)).toBe(true);
    expect(hasComplianceFooter(out, { ...footer, unsubscribeUrl: "https://t.acme.test/u/other" })).toBe(false);
    expect(hasComplianceFooter({ ...out, html: `${out.html}<p>after</p>` }, footer)).toBe(false);
    expect(hasComplianceFooter({ ...out, text: `${out.text}P.S.` }, footer)).toBe(false);
    expect(hasComplianceFooter({ ...out, html: plain.html }, footer)).toBe(false);
  });

  it("rejects a footer without an address or with an unsafe URL", () => {
    const bad = [
      { ...footer, postalAddress: "  " },
      { ...footer, unsubscribeUrl: "javascript:alert(1)" },
      { ...footer, unsubscribeUrl: "https://t.acme.test/u\r\nBcc: x@evil.test" },
      { ...footer, unsubscribeUrl: "/relative" },
    ];
    for (const f of bad) {
      expect(() => withComplianceFooter({ subject: "s", text: "t" }, f)).toThrow(TemplateError);
    }
  });
});
