import { describe, expect, it } from "vitest";
import { type LeadLike, type TemplateInput, validateTemplate } from "../../../workers/templates/index.ts";

const opts = { knownCustomFields: ["industry"] };
const validate = (t: Partial<TemplateInput>, o: Parameters<typeof validateTemplate>[1] = opts) =>
  validateTemplate({ subject: "Hello", text: "Body", ...t }, o);
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe("validateTemplate", () => {
  it("passes a clean template", () => {
    const r = validate({
      subject: "{Quick|Short} question, {{first_name | default: 'there'}}",
      text: "Hi {{first_name | default: 'there'}},\n{{custom.industry}} at {{company}}?\n{{sender.signature}}",
      html: "<p>Hi <b>{{first_name | default: 'there'}}</b></p><br><img src='x.png'>",
    });
    expect(r).toEqual({ errors: [], warnings: [] });
  });

  it("reports unknown variables with index, line and column", () => {
    const r = validate({ text: "Hi,\n  thanks {{frist_name}} and {{custom.size}}" });
    expect(r.errors).toEqual([
      expect.objectContaining({ code: "UNKNOWN_VARIABLE", part: "text", index: 13, line: 2, column: 10 }),
      expect.objectContaining({ code: "UNKNOWN_VARIABLE", part: "text", index: 32, line: 2, column: 29, field: "custom.size" }),
    ]);
  });

  it("reports unbalanced braces with the index of the offending brace", () => {
    expect(validate({ subject: "Hi {there" }).errors).toEqual([
      expect.objectContaining({ code: "UNBALANCED_BRACE", part: "subject", index: 3 }),
    ]);
    expect(validate({ text: "there} now" }).errors).toEqual([expect.objectContaining({ code: "UNBALANCED_BRACE", index: 5 })]);
    expect(validate({ text: "a\n{{first_name\nb" }).errors).toEqual([
      expect.objectContaining({ code: "UNBALANCED_BRACE", index: 2, line: 2, column: 1 }),
    ]);
    expect(validate({ text: "{a|{b|c}" }).errors).toEqual([expect.objectContaining({ code: "UNBALANCED_BRACE", index: 0 })]);
  });

  it("reports empty spintax options where they start", () => {
    const r = validate({ text: "{a||b} {|c} {}" });
    expect(r.errors.map((e) => [e.code, e.index])).toEqual([
      ["EMPTY_SPINTAX_OPTION", 3],
      ["EMPTY_SPINTAX_OPTION", 8],
      ["EMPTY_SPINTAX_OPTION", 13],
    ]);
  });

  it("warns about single-option spintax", () => {
    expect(codes(validate({ text: "x {only}" }).warnings)).toEqual(["SINGLE_SPINTAX_OPTION"]);
  });

  it("warns about fields without fallback that sample leads lack, with the count", () => {
    const sampleLeads: LeadLike[] = [
      { firstName: "A", company: "Acme", custom: { industry: "x" } },
      { firstName: "B", company: null, custom: {} },
      { firstName: "C", company: "  " },
      { firstName: "D", company: "Dyn", custom: { industry: 7 } },
      { firstName: "", company: "Eco" },
    ];
    const r = validate(
      { subject: "{{company}}", text: "Hi {{first_name|default:'there'}} at {{company}}, {{custom.industry}} {{sender.first_name}}" },
      { ...opts, sampleLeads },
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => [w.code, w.part, w.field, w.count])).toEqual([
      ["MISSING_FALLBACK", "subject", "company", 2],
      ["MISSING_FALLBACK", "text", "company", 2],
      ["MISSING_FALLBACK", "text", "custom.industry", 3],
    ]);
    expect(r.warnings[0]?.message).toContain("2 of 5 sample leads");
    expect(validate({ text: "{{company}}" }).warnings).toEqual([]);
  });

  it("flags empty bodies and subjects, and over-long parts", () => {
    expect(codes(validate({ text: "  \n" }).errors)).toEqual(["EMPTY_TEXT"]);
    expect(codes(validate({ subject: " " }).warnings)).toEqual(["EMPTY_SUBJECT"]);
    expect(validate({ subject: "x".repeat(501), html: "y".repeat(500_001) }).errors.map((e) => [e.code, e.part])).toEqual([
      ["TOO_LONG", "subject"],
      ["TOO_LONG", "html"],
    ]);
  });

  it("reports reserved footer variables", () => {
    expect(codes(validate({ html: '<a href="{{unsubscribe_url}}">x</a>' }).errors)).toEqual(["RESERVED_VARIABLE"]);
  });

  it("finds cheap HTML problems", () => {
    const html = [
      '<div onclick="x()"><a href=" javascript:alert(1)">x</a>',
      "<script>bad()</script>",
      '<span style="display: none">seo</span>',
      "</em><p>unclosed p is fine",
      "<!-- never closed",
    ].join("\n");
    const r = validate({ html });
    expect(r.errors.map((e) => [e.code, e.line])).toEqual([
      ["HTML_EVENT_HANDLER", 1],
      ["HTML_JAVASCRIPT_URL", 1],
      ["HTML_FORBIDDEN_TAG", 2],
      ["HTML_UNTERMINATED", 5],
    ]);
    expect(r.warnings.map((w) => [w.code, w.line])).toEqual([
      ["HTML_UNCLOSED_TAG", 1],
      ["HTML_HIDDEN_CONTENT", 3],
      ["HTML_STRAY_CLOSING_TAG", 4],
    ]);
  });

  it("explains braces in <style> blocks", () => {
    const r = validate({ html: "<style>p { color: red }</style><p>x</p>" });
    expect(codes(r.warnings)).toContain("HTML_STYLE_BRACES");
    expect(validate({ html: "<style>p \\{ color: red \\}</style><p>x</p>" }).warnings).toEqual([]);
  });
});
