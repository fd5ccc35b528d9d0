import { describe, expect, it } from "vitest";
import { compileTemplate, hasComplianceFooter, renderMessage, withComplianceFooter } from "../../../workers/templates/index.ts";

// A smoke benchmark, not a timed test: compile once, then render a realistic batch.
describe("bulk rendering", () => {
  it("renders 20,000 messages from one compiled template", () => {
    const compiled = compileTemplate({
      subject: "{Quick|Short} {question|idea} for {{company | default: 'your team'}}",
      text: "{Hi|Hello|Hey} {{first_name | default: 'there'}},\n\n{I noticed|I saw} {{company}} is {growing|hiring} in {{city | default: 'your city'}}.\n{Worth a {chat|call}?|Open to a {chat|call}?}\n\n{{sender.signature}}",
      html: "<p>{Hi|Hello|Hey} {{first_name | default: 'there'}},</p><p>{I noticed|I saw} {{company}} is {growing|hiring}.</p><p>{{sender.signature}}</p>",
    });
    const footer = { postalAddress: "Acme Inc., 1 Main St, Springfield", unsubscribeUrl: "https://t.acme.test/u/abc" };
    const sender = { firstName: "Sam", signature: "Sam\nAcme" };
    const subjects = new Set<string>();
    let rendered = 0;
    for (let i = 0; i < 20_000; i++) {
      const lead = { id: `lead_${i}`, firstName: i % 7 ? `Name${i}` : null, company: `Co <${i}>`, city: i % 3 ? "Berlin" : "" };
      const msg = withComplianceFooter(renderMessage(compiled, { lead, sender, seed: `${lead.id}:step_1` }), footer);
      subjects.add(msg.subject.split(" for ")[0]!);
      if (i % 1000 === 0) {
        expect(msg.text).not.toMatch(/[{}]/);
        expect(msg.html).toContain(`Co &lt;${i}&gt;`);
        expect(hasComplianceFooter(msg, footer)).toBe(true);
      }
      rendered++;
    }
    expect(rendered).toBe(20_000);
    expect([...subjects].sort()).toEqual(["Quick idea", "Quick question", "Short idea", "Short question"]);
  });
});
