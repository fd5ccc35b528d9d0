import { describe, expect, it } from "vitest";
import { AppError } from "../../../workers/platform/errors.ts";
import { type LeadLike, renderMessage, type SenderLike, TemplateError } from "../../../workers/templates/index.ts";

const sender: SenderLike = { firstName: "Sam", lastName: "Sender", email: "sam@acme.test", signature: "Sam Sender\nHead of Sales, Acme" };
const lead: LeadLike = {
  id: "lead_1",
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada@engine.test",
  company: "Analytical Engines",
  title: "CTO",
  phone: "+44 20 0000",
  website: "https://engine.test",
  city: "London",
  country: "UK",
  custom: { industry: "Computing", employees: 42, hiring: true },
};

const text = (src: string, l: LeadLike = lead, opts: { knownCustomFields?: string[] } = {}) =>
  renderMessage({ subject: "s", text: src }, { lead: l, sender, seed: "seed", ...opts }).text;

function renderError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error("expected a TemplateError");
}

describe("merge fields", () => {
  it("substitutes every lead field", () => {
    const src = "{{first_name}}|{{last_name}}|{{email}}|{{company}}|{{title}}|{{phone}}|{{website}}|{{city}}|{{country}}";
    expect(text(src)).toBe("Ada|Lovelace|ada@engine.test|Analytical Engines|CTO|+44 20 0000|https://engine.test|London|UK");
  });

  it("substitutes sender fields, keeping the signature's lines in the body only", () => {
    const out = renderMessage(
      {
        subject: "From {{sender.first_name}} {{sender.last_name}}: {{sender.signature}}",
        text: "{{sender.email}}\n--\n{{sender.signature}}",
      },
      { lead, sender, seed: "x" },
    );
    expect(out.text).toBe("sam@acme.test\n--\nSam Sender\nHead of Sales, Acme");
    expect(out.subject).toBe("From Sam Sender: Sam Sender Head of Sales, Acme");
  });

  it("reads custom attributes, stringifying numbers and booleans", () => {
    expect(text("{{custom.industry}} / {{ custom.employees }} / {{custom.hiring}}")).toBe("Computing / 42 / true");
  });

  it("never reads inherited properties through custom.*", () => {
    expect(text("[{{custom.constructor}}][{{custom.toString | default: 'none'}}]")).toBe("[][none]");
  });

  it("uses a fallback written with double quotes, single quotes or loose spacing", () => {
    const noName = { ...lead, firstName: undefined };
    expect(text('Hi {{first_name | default: "there"}}', noName)).toBe("Hi there");
    expect(text("Hi {{first_name|default:'there'}}", noName)).toBe("Hi there");
    expect(text('Hi {{   first_name   |   default  :   "there"   }}', noName)).toBe("Hi there");
    expect(text('Hi {{first_name | default: "there"}}')).toBe("Hi Ada");
  });

  it("treats null, empty and whitespace-only values as missing", () => {
    for (const company of [null, "", "   \t", "\r\n"]) {
      expect(text("at {{company | default: 'your company'}}", { ...lead, company })).toBe("at your company");
    }
  });

  it("allows escaped quotes and braces inside a fallback", () => {
    expect(text('{{company | default: "your \\"team\\" {x}"}}', { company: null })).toBe('your "team" {x}');
    expect(text("{{company | default: 'Ada\\'s team'}}", { company: null })).toBe("Ada's team");
  });

  it("renders a known but empty field without fallback as empty", () => {
    expect(text("Hi {{first_name}}, about {{custom.industry}}.", { email: "a@b.test" })).toBe("Hi , about .");
  });

  it("throws a typed error for unknown variables instead of rendering them empty", () => {
    const err = renderError(() => text("Hi {{firstName}}"));
    expect(err).toBeInstanceOf(AppError);
    expect(err.status).toBe(422);
    expect(err.reason).toBe("UNKNOWN_VARIABLE");
    expect(err.message).toContain("Did you mean {{first_name}}?");
    expect(err.templateIssues[0]).toMatchObject({ part: "text", index: 3, line: 1, column: 4 });
  });

  it("throws for custom fields the tenant does not have, when the list is given", () => {
    expect(text("{{custom.industry}}", lead, { knownCustomFields: ["industry"] })).toBe("Computing");
    const err = renderError(() => text("{{custom.industy}}", lead, { knownCustomFields: ["industry"] }));
    expect(err.reason).toBe("UNKNOWN_VARIABLE");
    expect(err.templateIssues[0]?.field).toBe("custom.industy");
  });

  it("refuses footer-like variable names", () => {
    for (const name of ["unsubscribe_url", "unsubscribe", "postal_address", "Unsubscribe_Link"]) {
      expect(renderError(() => text(`{{${name}}}`)).reason).toBe("RESERVED_VARIABLE");
    }
  });

  it("rejects filters other than default", () => {
    expect(renderError(() => text("{{first_name | upcase}}")).reason).toBe("INVALID_MERGE_FIELD");
    expect(renderError(() => text("{{first name}}")).reason).toBe("INVALID_MERGE_FIELD");
    expect(renderError(() => text("{{}}")).reason).toBe("INVALID_MERGE_FIELD");
  });
});
