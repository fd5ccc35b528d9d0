import { describe, expect, it } from "vitest";
import { compileTemplate, type LeadLike, renderMessage } from "../../../workers/templates/index.ts";

const sender = { email: "sam@acme.test" };
const lead: LeadLike = { firstName: "Ada" };
const render = (src: string, seed: string, l: LeadLike = lead) =>
  renderMessage({ subject: "s", text: src }, { lead: l, sender, seed }).text;
const seeds = (n: number) => Array.from({ length: n }, (_, i) => `lead_${i}:step_1`);

describe("spintax", () => {
  it("picks one option, including nested ones", () => {
    const outs = new Set(seeds(300).map((s) => render("{Hi {there|friend}|Hello}", s)));
    expect(outs).toEqual(new Set(["Hi there", "Hi friend", "Hello"]));
  });

  it("is deterministic per seed, compiled or not", () => {
    const src = "{Hi|Hello|Hey} {{first_name}}, {quick|short} {question|note}{!|.}";
    const compiled = compileTemplate({ subject: "s", text: src });
    for (const seed of seeds(50)) {
      const a = render(src, seed);
      expect(render(src, seed)).toBe(a);
      expect(renderMessage(compiled, { lead, sender, seed }).text).toBe(a);
    }
  });

  it("varies across seeds", () => {
    const outs = new Set(seeds(100).map((s) => render("{a|b|c|d}", s)));
    expect(outs).toEqual(new Set(["a", "b", "c", "d"]));
  });

  it("spreads 10,000 leads evenly over three options (each within ±5% of 1/3)", () => {
    const counts = { a: 0, b: 0, c: 0 } as Record<string, number>;
    for (const s of seeds(10_000)) counts[render("{a|b|c}", s)]!++;
    for (const n of Object.values(counts)) {
      expect(n).toBeGreaterThan((10_000 / 3) * 0.95);
      expect(n).toBeLessThan((10_000 / 3) * 1.05);
    }
  });

  it("chooses each spin independently of the others in the same message", () => {
    const counts = new Map<string, number>();
    for (const s of seeds(10_000)) {
      const out = render("{a|b}{c|d}", s);
      counts.set(out, (counts.get(out) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["ac", "ad", "bc", "bd"]);
    for (const n of counts.values()) expect(Math.abs(n - 2500)).toBeLessThan(250);
  });

  it("makes text and HTML agree, and draws the subject from its own stream", () => {
    let subjectDiffers = 0;
    for (const seed of seeds(200)) {
      const out = renderMessage({ subject: "{1|2|3}", text: "{1|2|3}", html: "<p>{1|2|3}</p>" }, { lead, sender, seed });
      expect(out.html).toBe(`<p>${out.text}</p>`);
      if (out.subject !== out.text) subjectDiffers++;
    }
    expect(subjectDiffers).toBeGreaterThan(100);
  });

  it("renders escaped braces and pipes literally", () => {
    expect(render("\\{not spin\\} {a\\|b|a\\|b} x \\| y", "s")).toBe("{not spin} a|b x | y");
    expect(render("C:\\path\\to a | b", "s")).toBe("C:\\path\\to a | b");
  });

  it("does not confuse merge fields with spintax", () => {
    for (const seed of seeds(50)) {
      expect(render("{{first_name}}", seed)).toBe("Ada");
      expect(["Ada", "there"]).toContain(render("{{{first_name}}|there}", seed));
      expect(["Hi Ada", "Hello Ada!"]).toContain(render("{Hi {{first_name}}|Hello {{ first_name }}!}", seed));
      expect(["Hi Ada,", "Hey you,"]).toContain(render("{Hi {{first_name|default:'x'}}|Hey {you|you}},", seed));
    }
    expect(compileTemplate({ subject: "", text: "{{first_name}} {{ email }}" }).warnings).toEqual([]);
  });
});
