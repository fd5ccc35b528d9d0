import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyStatus } from "../../workers/inbound/classify.ts";
import { parseInbound } from "../../workers/inbound/parse.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/inbound/${name}`, import.meta.url), "utf8");
const REF = { sendId: "snd_01M8J1AWDRMND42H56VQPV1VGD", tenantId: "ten_01M8J1AR5RH8DR96N5YPQPFZ2J" };

describe("bounces (real-format samples)", () => {
  it.each([
    ["postfix-hard.eml", "nobody@acme-prospect.test", "5.1.1"],
    ["gmail-hard.eml", "missing.person@gmail.com", "5.1.1"],
    ["outlook-ndr.eml", "left.company@contoso-prospect.test", "5.1.10"],
  ])("%s is a hard DSN bounce for the right recipient and send", async (file, recipient, status) => {
    const { inbound } = await parseInbound(fixture(file));
    expect(inbound).toMatchObject({ kind: "bounce", class: "hard", recipient, status, ref: REF, delayed: false });
  });

  it.each(["exim-hard.eml", "yahoo-hard.eml"])("%s (non-standard format) is a hard bounce found by its text", async (file) => {
    const { inbound } = await parseInbound(fixture(file));
    expect(inbound).toMatchObject({ kind: "bounce", class: "hard", ref: REF });
  });

  it("a DSN without the returned headers is still a hard bounce, but only its VERP envelope can place it", async () => {
    const { inbound } = await parseInbound(fixture("verp-postfix-no-headers.eml"));
    expect(inbound).toMatchObject({ kind: "bounce", class: "hard", recipient: "gone@acme-prospect.test", status: "5.1.1", ref: null });
  });

  it("treats a full mailbox as soft and a delay notice as soft and delayed", async () => {
    expect((await parseInbound(fixture("soft-full.eml"))).inbound).toMatchObject({ kind: "bounce", class: "soft", status: "5.2.2" });
    expect((await parseInbound(fixture("delayed.eml"))).inbound).toMatchObject({
      kind: "bounce",
      class: "soft",
      delayed: true,
      status: "4.4.7",
    });
  });

  it("classifies status codes and diagnostic text", () => {
    expect(classifyStatus("5.1.1", null)).toBe("hard");
    expect(classifyStatus("5.7.1", "550 5.7.1 Message rejected due to local policy")).toBe("soft");
    expect(classifyStatus("4.2.0", null)).toBe("soft");
    expect(classifyStatus(null, "550 Requested action not taken: mailbox unavailable")).toBe("hard");
    expect(classifyStatus(null, "421 Try again later")).toBe("soft");
    expect(classifyStatus(null, "something odd happened")).toBe("unknown");
  });
});

describe("complaints and replies", () => {
  it("reads an ARF feedback report", async () => {
    expect((await parseInbound(fixture("arf-complaint.eml"))).inbound).toMatchObject({
      kind: "complaint",
      feedbackType: "abuse",
      recipient: "annoyed@yahoo.com",
      ref: REF,
    });
  });

  it.each([
    ["reply-gmail.eml", "maria@acme-prospect.test", /happy to talk on Thursday/],
    ["reply-outlook.eml", "tom@contoso-prospect.test", /Not interested/],
    ["reply-apple.eml", "leo@acme-prospect.test", /more details/],
  ])("%s is a human reply to our message", async (file, from, text) => {
    const { inbound } = await parseInbound(fixture(file));
    expect(inbound).toMatchObject({ kind: "reply", auto: false, from, ref: REF });
    expect(inbound.kind === "reply" && inbound.text).toMatch(text);
  });

  it("recognises an out-of-office auto-reply", async () => {
    const { inbound } = await parseInbound(fixture("ooo-autoreply.eml"));
    expect(inbound).toMatchObject({ kind: "reply", auto: true, ref: REF });
  });

  it("leaves unrelated mail unplaced", async () => {
    const { inbound } = await parseInbound("From: someone@else.test\r\nTo: x@y.test\r\nSubject: Hello\r\n\r\nJust saying hi\r\n");
    expect(inbound.kind).toBe("unknown");
  });
});
