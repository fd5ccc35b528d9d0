import { describe, expect, it } from "vitest";
import { resolveSendRef } from "../../../workers/inbound/match.ts";
import { newId } from "../../../workers/platform/ids.ts";
import { envelopeSender, parseVerp, verpAddress } from "../../../workers/sending/verp.ts";

const SEND = "snd_01M8J1AWDRMND42H56VQPV1VGD";
const TENANT = "ten_01M8J1AR5RH8DR96N5YPQPFZ2J";
const DOMAIN = "inbound.penguinmails.test";
const ADDRESS = `bounce+01M8J1AWDRMND42H56VQPV1VGD-01M8J1AR5RH8DR96N5YPQPFZ2J@${DOMAIN}`;

describe("VERP address", () => {
  it("names the send and tenant without their prefixes, in a local part of at most 64 characters", () => {
    expect(verpAddress(SEND, TENANT, DOMAIN)).toBe(ADDRESS);
    expect(verpAddress(SEND, TENANT, "Inbound.PenguinMails.TEST")).toBe(ADDRESS);
    for (let i = 0; i < 50; i++) {
      const local = verpAddress(newId("snd"), newId("ten"), DOMAIN).split("@")[0]!;
      expect(local.length).toBe(60);
      expect(local.length).toBeLessThanOrEqual(64); // RFC 5321 §4.5.3.1.1
    }
  });

  it("round-trips any ids we issue", () => {
    for (let i = 0; i < 50; i++) {
      const ref = { sendId: newId("snd"), tenantId: newId("ten") };
      expect(parseVerp(verpAddress(ref.sendId, ref.tenantId, DOMAIN))).toEqual(ref);
    }
  });

  it("reads a lower-cased, bracketed or padded address (MTAs may rewrite the case of a local part)", () => {
    const ref = { sendId: SEND, tenantId: TENANT };
    expect(parseVerp(ADDRESS.toLowerCase())).toEqual(ref);
    expect(parseVerp(`<${ADDRESS}>`)).toEqual(ref);
    expect(parseVerp(`  <${ADDRESS.toUpperCase()}>\r\n`)).toEqual(ref);
    expect(parseVerp(ADDRESS.replace(DOMAIN, "old-inbound.example.com"))).toEqual(ref);
  });

  it.each([
    ["", "empty"],
    ["replies@inbound.penguinmails.test", "another inbound address"],
    [`bounce@${DOMAIN}`, "no token"],
    [`bounce+01M8J1AWDRMND42H56VQPV1VGD@${DOMAIN}`, "send only"],
    [`bounce+01M8J1AWDRMND42H56VQPV1VG-01M8J1AR5RH8DR96N5YPQPFZ2J@${DOMAIN}`, "25 characters"],
    [`bounce+01M8J1AWDRMND42H56VQPV1VGDX-01M8J1AR5RH8DR96N5YPQPFZ2J@${DOMAIN}`, "27 characters"],
    [`bounce+01M8J1AWDRMND42H56VQPV1VGU-01M8J1AR5RH8DR96N5YPQPFZ2J@${DOMAIN}`, "U is not Crockford base32"],
    [`bounce+01M8J1AWDRMND42H56VQPV1VGD.01M8J1AR5RH8DR96N5YPQPFZ2J@${DOMAIN}`, "wrong separator"],
    [`bounce+snd_01M8J1AWDRMND42H56VQPV1VGD-ten_01M8J1AR5RH8DR96N5YPQPFZ2J@${DOMAIN}`, "prefixed ids"],
    [`xbounce+01M8J1AWDRMND42H56VQPV1VGD-01M8J1AR5RH8DR96N5YPQPFZ2J@${DOMAIN}`, "other local part"],
    [`SRS0=Xk2q=TE=${DOMAIN}=${ADDRESS.split("@")[0]}@sender-one.test`, "still SRS-encoded"],
    [`${ADDRESS.split("@")[0]}@localhost`, "no dot in the domain"],
    [`${ADDRESS.split("@")[0]}`, "no domain"],
    [`${ADDRESS}>`, "unbalanced bracket"],
    [`Bounces <${ADDRESS}>`, "a display name"],
  ])("rejects %j (%s)", (address) => {
    expect(parseVerp(address)).toBeNull();
  });

  it("refuses to build an address from something that is not a send and a tenant id", () => {
    expect(() => verpAddress(TENANT, SEND, DOMAIN)).toThrow();
    expect(() => verpAddress("snd_short", TENANT, DOMAIN)).toThrow();
  });
});

describe("envelope sender", () => {
  const hosted = { email: "ann@outreach.acme.test", nodeId: "nod_01M8J1AR5RH8DR96N5YPQPFZ2J" };
  const own = { email: "ann@gmail.com", nodeId: null };

  it("is the VERP address for a hosted mailbox (our MailU, allowed to spoof)", () => {
    expect(envelopeSender(hosted, SEND, TENANT, DOMAIN)).toBe(ADDRESS);
  });

  it("stays the mailbox's own address for bring-your-own SMTP, or without an inbound domain", () => {
    expect(envelopeSender(own, SEND, TENANT, DOMAIN)).toBe("ann@gmail.com");
    expect(envelopeSender(hosted, SEND, TENANT, undefined)).toBe("ann@outreach.acme.test");
    expect(envelopeSender(hosted, SEND, TENANT, "")).toBe("ann@outreach.acme.test");
  });
});

describe("which send an inbound message is about", () => {
  const quoted = { sendId: "snd_01M8J1AWDRMND42H56VQPV1VGE", tenantId: TENANT };
  const verp = { sendId: SEND, tenantId: TENANT };

  it("a bounce to a VERP address is matched by it, before any Message-ID in the body", () => {
    expect(resolveSendRef("bounce", null, ADDRESS)).toEqual({ ref: verp, via: "verp" });
    expect(resolveSendRef("bounce", quoted, ADDRESS.toLowerCase())).toEqual({ ref: verp, via: "verp" });
  });

  it("otherwise the quoted Message-ID counts, and the VERP address is only a fallback for complaints and replies", () => {
    expect(resolveSendRef("bounce", quoted, "replies@inbound.penguinmails.test")).toEqual({ ref: quoted, via: "message_id" });
    expect(resolveSendRef("bounce", quoted, undefined)).toEqual({ ref: quoted, via: "message_id" });
    expect(resolveSendRef("reply", quoted, ADDRESS)).toEqual({ ref: quoted, via: "message_id" });
    expect(resolveSendRef("reply", null, ADDRESS)).toEqual({ ref: verp, via: "verp" });
    expect(resolveSendRef("complaint", null, ADDRESS)).toEqual({ ref: verp, via: "verp" });
    expect(resolveSendRef("bounce", null, "replies@inbound.penguinmails.test")).toBeNull();
  });
});
