import { beforeAll, describe, expect, it } from "vitest";
import { type Caller, call, seed, signInAs } from "../support/api.ts";
import type { SeededTenant } from "../support/seed.ts";

let t: SeededTenant;
let s: Caller;

beforeAll(async () => {
  t = await seed("Tpl");
  s = await signInAs(t);
});

const tpl = (extra: Record<string, unknown>) => ({
  workspaceId: t.workspaceId,
  name: `T ${Math.random()}`,
  subject: "Quick question",
  text: "Hi",
  ...extra,
});

describe("templates", () => {
  it("refuses to save a template with unknown variables or broken spintax, listing the problems", async () => {
    const r = await call("POST", "/api/v1/templates", { ...s, body: tpl({ text: "Hi {{frist_name}}, {Hello|Hey" }) });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe("UNPROCESSABLE");
    const messages = r.json.error.issues.map((i: { message: string }) => i.message).join(" | ");
    expect(messages).toMatch(/frist_name/);
    expect(messages).toMatch(/brace|spintax|closed/i);
  });

  it("saves, warns about fields some leads lack, and previews with the compliance footer", async () => {
    await call("POST", "/api/v1/leads", { ...s, body: { workspaceId: t.workspaceId, email: "nofirst@tpl.test", company: "Acme" } });
    await call("PATCH", `/api/v1/workspaces/${t.workspaceId}`, { ...s, body: { postalAddress: "1 Penguin Way, 10115 Berlin, Germany" } });
    const created = await call("POST", "/api/v1/templates", {
      ...s,
      body: tpl({
        name: "Intro",
        folder: "Outbound",
        tags: ["intro"],
        subject: "{Quick|Short} question for {{company}}",
        text: "{Hi|Hello} {{first_name}},\n\nAre you the right person at {{company}}?",
      }),
    });
    expect(created.status).toBe(201);
    expect(
      created.json.warnings.some((w: { code: string; field?: string }) => w.code === "MISSING_FALLBACK" && w.field === "first_name"),
    ).toBe(true);

    const preview = await call("POST", "/api/v1/templates/preview", {
      ...s,
      body: { workspaceId: t.workspaceId, subject: created.json.subject, text: created.json.text, html: "<p>Hi {{company}}</p>" },
    });
    expect(preview.status).toBe(200);
    expect(preview.json.errors).toEqual([]);
    expect(preview.json.missingPostalAddress).toBe(false);
    expect(preview.json.rendered.subject).toMatch(/^(Quick|Short) question for Acme$/);
    expect(preview.json.rendered.text).toContain("1 Penguin Way, 10115 Berlin, Germany");
    expect(preview.json.rendered.text).toMatch(/Unsubscribe: http/);
    expect(preview.json.rendered.html).toContain("<p>Hi Acme</p>");
    // The same lead always gets the same spintax choice.
    const again = await call("POST", "/api/v1/templates/preview", {
      ...s,
      body: { workspaceId: t.workspaceId, subject: created.json.subject, text: created.json.text },
    });
    expect(again.json.rendered.subject).toBe(preview.json.rendered.subject);

    const list = await call("GET", `/api/v1/templates?workspaceId=${t.workspaceId}&folder=Outbound`, s);
    expect(list.json.items.map((x: { name: string }) => x.name)).toEqual(["Intro"]);
    const edited = await call("PATCH", `/api/v1/templates/${created.json.id}`, {
      ...s,
      body: { text: 'Hello {{first_name | default: "there"}}' },
    });
    expect(edited.status).toBe(200);
    expect(edited.json.warnings.filter((w: { code: string }) => w.code === "MISSING_FALLBACK")).toEqual([]);
    expect((await call("DELETE", `/api/v1/templates/${created.json.id}`, s)).status).toBe(200);
  });

  it("escapes lead data in HTML and never lets it inject headers", async () => {
    const evil = await call("POST", "/api/v1/leads", {
      ...s,
      body: { workspaceId: t.workspaceId, email: "evil@tpl.test", company: "<script>x</script>\r\nBcc: all@victims.test" },
    });
    const p = await call("POST", "/api/v1/templates/preview", {
      ...s,
      body: {
        workspaceId: t.workspaceId,
        leadId: evil.json.id,
        subject: "About {{company}}",
        text: "Hi {{company}}",
        html: "<b>{{company}}</b>",
      },
    });
    expect(p.json.rendered.subject).not.toMatch(/[\r\n]/);
    expect(p.json.rendered.html).not.toContain("<script>");
    expect(p.json.rendered.html).toContain("&lt;script&gt;");
  });
});

describe("template test send", () => {
  it("sends the rendered template to the signed-in user through a mailbox, marked [Test]", async () => {
    const { env: cfEnv } = await import("cloudflare:workers");
    const box = await call("POST", "/api/v1/mailboxes", {
      ...s,
      body: {
        workspaceId: t.workspaceId,
        email: "sender@tpl-test.test",
        fromName: "Tess Sender",
        smtpHost: "127.0.0.1",
        smtpPort: Number(cfEnv.TEST_SMTP_PORT),
        smtpSecurity: "none",
        smtpUsername: "relay-user",
        smtpPassword: "relay-pass",
      },
    });
    const tplRes = await call("POST", "/api/v1/templates", {
      ...s,
      body: tpl({ name: "Test me", subject: 'Hi {{first_name | default: "there"}}', text: "Body from {{sender.first_name}}" }),
    });
    const r = await call("POST", `/api/v1/templates/${tplRes.json.id}/test-send`, { ...s, body: { mailboxId: box.json.id } });
    expect(r.json).toEqual({ sentTo: t.email, subject: "[Test] Hi Sam" });
    const mails = (await (await fetch(cfEnv.TEST_SMTP_LOG_URL)).json()) as { to: string[]; subject: string; text: string }[];
    const got = mails.find((m) => m.to.includes(t.email) && m.subject === "[Test] Hi Sam");
    expect(got?.text).toContain("Body from Tess");
  });
});
