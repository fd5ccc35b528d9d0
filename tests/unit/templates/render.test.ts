import { describe, expect, it } from "vitest";
import { type LeadLike, renderMessage, type TemplateError, type TemplateInput } from "../../../workers/templates/index.ts";

const sender = { firstName: "Sam", email: "sam@acme.test", signature: "Sam <sam@acme.test>\nAcme & Co" };
const render = (t: TemplateInput, lead: LeadLike) => renderMessage(t, { lead, sender, seed: "lead_1:step_1" });

function thrown(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    return err as TemplateError;
  }
  throw new Error("expected a throw");
}

describe("renderMessage", () => {
  it("HTML-escapes lead data in the HTML body only", () => {
    const company = `<b>Tom & "Jerry's"</b>`;
    const out = render(
      { subject: "For {{company}}", text: "At {{company}}", html: '<p title="{{company}}">At {{company}}</p>' },
      { company },
    );
    expect(out.subject).toBe(`For ${company}`);
    expect(out.text).toBe(`At ${company}`);
    const esc = "&lt;b&gt;Tom &amp; &quot;Jerry&#39;s&quot;&lt;/b&gt;";
    expect(out.html).toBe(`<p title="${esc}">At ${esc}</p>`);
  });

  it("escapes fallbacks and the signature in HTML, keeping signature lines as <br>", () => {
    const out = render({ subject: "s", text: "t", html: "<p>{{company | default: 'R&D'}}</p>{{sender.signature}}" }, {});
    expect(out.html).toBe("<p>R&amp;D</p>Sam &lt;sam@acme.test&gt;<br>\nAcme &amp; Co");
  });

  it("flattens CR/LF in merge values so they cannot add header or body lines", () => {
    const lead = { firstName: "Bob\r\nBcc: victim@evil.test", company: "Evil\nCorp\r" };
    const out = render({ subject: "Hi {{first_name}}", text: "Hi {{first_name}} at {{company}}.", html: "<p>{{first_name}}</p>" }, lead);
    expect(out.subject).toBe("Hi Bob Bcc: victim@evil.test");
    expect(out.text).toBe("Hi Bob Bcc: victim@evil.test at Evil Corp.");
    expect(out.html).toBe("<p>Bob Bcc: victim@evil.test</p>");
  });

  it("removes control characters and Unicode line separators from values", () => {
    const out = render({ subject: "{{company}}", text: "[{{company}}]" }, { company: "A\u0000c\u0007m\u001be\u2028Co\u2029X\u0085Y\tZ" });
    expect(out.text).toBe("[Acme Co X Y\tZ]");
    expect(out.subject).toBe("Acme Co X Y Z");
  });

  it("never leaves CR or LF in the subject, even when the template has them", () => {
    const out = render({ subject: "Quick\r\n question\nfor  {{first_name}}\r", text: "t" }, { firstName: "Ada" });
    expect(out.subject).toBe("Quick question for  Ada");
    expect(out.subject).not.toMatch(/[\r\n]/);
  });

  it("trims values and normalises body line endings to LF", () => {
    const out = render({ subject: "s", text: "Hi {{first_name}}!\r\nBye\r" }, { firstName: "  Ada \t " });
    expect(out.text).toBe("Hi Ada!\nBye\n");
  });

  it("omits html when the template has none", () => {
    expect(render({ subject: "s", text: "t" }, {})).toEqual({ subject: "s", text: "t" });
  });

  it("refuses to render a template with syntax errors", () => {
    const err = thrown(() => render({ subject: "Hi {there", text: "ok" }, {}));
    expect(err.reason).toBe("UNBALANCED_BRACE");
    expect(err.templateIssues[0]).toMatchObject({ part: "subject", index: 3 });
    expect(thrown(() => render({ subject: "s", text: "{a||b}" }, {})).reason).toBe("EMPTY_SPINTAX_OPTION");
  });

  it("refuses a subject longer than RFC 5322 allows once rendered", () => {
    expect(thrown(() => render({ subject: "{{company}}", text: "t" }, { company: "x".repeat(999) })).reason).toBe("SUBJECT_TOO_LONG");
    expect(render({ subject: "{{company}}", text: "t" }, { company: "x".repeat(998) }).subject).toHaveLength(998);
  });

  it("requires a seed", () => {
    expect(() => renderMessage({ subject: "s", text: "t" }, { lead: {}, sender, seed: "" })).toThrow(/seed/);
  });
});
