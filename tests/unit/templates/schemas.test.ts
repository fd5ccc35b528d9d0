import { describe, expect, it } from "vitest";
import { ComplianceFooter, HTML_MAX, SUBJECT_MAX, TEXT_MAX, TemplateInput } from "../../../workers/templates/index.ts";

describe("template schemas", () => {
  it("accept a template with or without HTML", () => {
    expect(TemplateInput.safeParse({ subject: "Hi", text: "Body" }).success).toBe(true);
    expect(TemplateInput.parse({ subject: "", text: "Body\r\n\tok", html: "<p>x</p>" })).toEqual({
      subject: "",
      text: "Body\r\n\tok",
      html: "<p>x</p>",
    });
  });

  it("enforce source limits and a non-empty text body", () => {
    const bad = [
      { subject: "x".repeat(SUBJECT_MAX + 1), text: "b" },
      { subject: "s", text: "x".repeat(TEXT_MAX + 1) },
      { subject: "s", text: "b", html: "x".repeat(HTML_MAX + 1) },
      { subject: "s", text: "" },
    ];
    for (const t of bad) expect(TemplateInput.safeParse(t).success).toBe(false);
    expect(TemplateInput.safeParse({ subject: "x".repeat(SUBJECT_MAX), text: "b" }).success).toBe(true);
  });

  it("reject control characters other than tab, CR and LF", () => {
    expect(TemplateInput.safeParse({ subject: "a\u0000b", text: "b" }).success).toBe(false);
    expect(TemplateInput.safeParse({ subject: "s", text: "a\u001bb" }).success).toBe(false);
  });

  it("require a postal address and an absolute http(s) unsubscribe URL", () => {
    expect(ComplianceFooter.safeParse({ postalAddress: "1 Main St", unsubscribeUrl: "https://u.test/x" }).success).toBe(true);
    expect(ComplianceFooter.safeParse({ postalAddress: "1 Main St", unsubscribeUrl: "mailto:u@u.test" }).success).toBe(false);
    expect(ComplianceFooter.safeParse({ postalAddress: "", unsubscribeUrl: "https://u.test/x" }).success).toBe(false);
  });
});
