import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  buildDmarc,
  buildDomainRecords,
  buildSpf,
  compareRecord,
  type DnsRecord,
  DnsRecordError,
  joinTxt,
  parseTxtStrings,
  quoteTxt,
  splitTxt,
  suggestColdSubdomain,
  validateDmarc,
  validateSpf,
} from "../../../workers/dns/records.ts";

// A real 2048-bit RSA public key (SPKI DER, base64), as MailU's DKIM endpoint produces.
const DKIM_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "der" }).toString("base64");

const sample = {
  domain: "Acme.com.",
  mailHost: "mail.acme.com",
  nodeIps: ["203.0.113.10", "203.0.113.11", "203.0.113.10"],
  dkim: { selector: "pm", publicKey: DKIM_KEY },
  dmarcRua: "dmarc@reports.penguinmails.com",
  trackingHost: "track.acme.com",
  trackingCname: "t.penguinmails.com",
};

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

describe("SPF validation", () => {
  it("accepts an ip4-only record and counts no lookups", () => {
    const r = validateSpf("v=spf1 ip4:203.0.113.10 ip4:198.51.100.0/24 ip6:2001:db8::/32 ~all");
    expect(r).toMatchObject({ valid: true, lookups: 0, errors: [] });
    expect(r.terms.map((t) => t.name)).toEqual(["ip4", "ip4", "ip6", "all"]);
  });

  it("counts include, a, mx, ptr, exists and redirect, but not exp or ip4", () => {
    const r = validateSpf(
      "v=spf1 include:_spf.example.com a mx:mail.example.com/24 ptr exists:%{i}._spf.example.com ip4:192.0.2.1 exp=explain.example.com redirect=spf.example.com",
    );
    expect(r.lookups).toBe(6);
    expect(r.valid).toBe(true);
    expect(r.warnings.join(" ")).toMatch(/ptr is slow and deprecated/);
  });

  it("allows exactly 10 lookups and refuses 11 (permerror)", () => {
    const incs = (n: number) => Array.from({ length: n }, (_, i) => `include:spf${i}.example.com`).join(" ");
    expect(validateSpf(`v=spf1 ${incs(10)} -all`)).toMatchObject({ valid: true, lookups: 10 });
    const over = validateSpf(`v=spf1 ${incs(9)} a mx -all`);
    expect(over.valid).toBe(false);
    expect(over.lookups).toBe(11);
    expect(over.errors.join(" ")).toMatch(/11 DNS lookups.*above 10/);
  });

  it.each([
    ["spf1 ip4:192.0.2.1 -all", /must start with "v=spf1"/],
    ["v=spf2 ip4:192.0.2.1 -all", /must start with "v=spf1"/],
    ["v=spf1 ip4:192.0.2.256 -all", /ip4:<IPv4>/],
    ["v=spf1 ip4:192.0.2.1/33 -all", /ip4:<IPv4>/],
    ["v=spf1 ip6:2001:db8::zz -all", /ip6:<IPv6>/],
    ["v=spf1 include -all", /include needs a domain/],
    ["v=spf1 include:nodot -all", /include needs a domain/],
    ["v=spf1 foo:bar.com -all", /unknown mechanism "foo"/],
    ["v=spf1 a:example.com/40 -all", /IPv4 prefix length above 32/],
    ["v=spf1 ip4:192.0.2.1 +all", /\+all authorises every host/],
    ["v=spf1 all:x", /all takes no argument/],
    ["v=spf1 redirect=a.example.com redirect=b.example.com", /redirect= may appear only once/],
    ["v=spf1\tip4:192.0.2.1 -all", /ASCII/],
  ])("rejects %s", (txt, reason) => {
    const r = validateSpf(txt);
    expect(r.valid).toBe(false);
    expect(r.errors.join(" | ")).toMatch(reason);
  });

  it("requires exactly one SPF record among the TXT values at a name", () => {
    expect(validateSpf(["google-site-verification=abc", "v=spf1 ip4:192.0.2.1 -all"]).valid).toBe(true);
    const two = validateSpf(["v=spf1 ip4:192.0.2.1 -all", "v=spf1 include:_spf.google.com ~all"]);
    expect(two.valid).toBe(false);
    expect(two.errors[0]).toMatch(/2 SPF records/);
    expect(validateSpf(["some other text"]).errors[0]).toMatch(/no SPF record/);
  });

  it("warns about terms after all and a missing all", () => {
    expect(validateSpf("v=spf1 -all ip4:192.0.2.1").warnings.join(" ")).toMatch(/after all are never evaluated/);
    expect(validateSpf("v=spf1 ip4:192.0.2.1").warnings.join(" ")).toMatch(/no all mechanism/);
  });

  it("buildSpf counts each include plus its own lookups and refuses more than 10", () => {
    expect(buildSpf(["192.0.2.1", "2001:db8::1"])).toBe("v=spf1 ip4:192.0.2.1 ip6:2001:db8::1 ~all");
    const ok = buildSpf(
      ["192.0.2.1"],
      [
        { domain: "_spf.google.com", lookups: 3 },
        { domain: "spf.protection.outlook.com", lookups: 5 },
      ],
    );
    expect(validateSpf(ok)).toMatchObject({ valid: true, lookups: 2 });
    expect(() =>
      buildSpf(
        ["192.0.2.1"],
        [{ domain: "_spf.google.com", lookups: 3 }, { domain: "spf.protection.outlook.com", lookups: 5 }, { domain: "x.example.com" }],
      ),
    ).toThrow(/11 DNS lookups/);
    expect(() => buildSpf(["not-an-ip"])).toThrow(/not an IP/);
  });
});

describe("TXT character-strings", () => {
  it("splits a 2048-bit DKIM value into ≤255-byte strings that rejoin exactly", () => {
    const value = `v=DKIM1; k=rsa; p=${DKIM_KEY}`;
    expect(bytes(value)).toBeGreaterThan(255);
    const parts = splitTxt(value);
    expect(parts.length).toBe(Math.ceil(bytes(value) / 255));
    expect(bytes(parts[0]!)).toBe(255);
    for (const p of parts) expect(bytes(p)).toBeLessThanOrEqual(255);
    expect(joinTxt(parts)).toBe(value);
  });

  it("never cuts a multi-byte character", () => {
    const value = "é".repeat(200); // 400 bytes
    const parts = splitTxt(value);
    expect(parts.map(bytes)).toEqual([254, 146]);
    expect(joinTxt(parts)).toBe(value);
    expect(splitTxt("")).toEqual([""]);
    expect(() => splitTxt("abc", 2)).toThrow(RangeError);
  });

  it("quotes and parses presentation form, escapes included", () => {
    const strings = ['say "hi"', "back\\slash", "x".repeat(255)];
    const quoted = quoteTxt(strings);
    expect(quoted.startsWith('"say \\"hi\\"" "back\\\\slash" "')).toBe(true);
    expect(parseTxtStrings(quoted)).toEqual(strings);
    expect(parseTxtStrings('"a""b"')).toEqual(["a", "b"]);
    expect(parseTxtStrings('"caf\\195\\169"')).toEqual(["café"]);
    expect(parseTxtStrings("v=spf1 -all")).toEqual(["v=spf1 -all"]);
  });
});

describe("DMARC validation", () => {
  it("builds the starting record (p=none, relaxed alignment) and it validates", () => {
    const txt = buildDmarc({ rua: "dmarc@acme.com" });
    expect(txt).toBe("v=DMARC1; p=none; rua=mailto:dmarc@acme.com; adkim=r; aspf=r; pct=100");
    expect(validateDmarc(txt, { domain: "acme.com" })).toMatchObject({ valid: true, errors: [], warnings: [] });
    expect(() => buildDmarc({ rua: "not an address" })).toThrow(RangeError);
  });

  it.each([
    ["p=none; v=DMARC1", /must start with "v=DMARC1"/],
    ["v=DMARC2; p=none", /must start with "v=DMARC1"/],
    ["v=DMARC1; rua=mailto:d@acme.com", /p \(policy\) is required/],
    ["v=DMARC1; rua=mailto:d@acme.com; p=none", /p must come right after v/],
    ["v=DMARC1; p=block", /must be none, quarantine or reject/],
    ["v=DMARC1; p=none; adkim=x", /adkim=x: must be r \(relaxed\) or s/],
    ["v=DMARC1; p=none; pct=101", /pct=101: must be an integer from 0 to 100/],
    ["v=DMARC1; p=none; rua=d@acme.com", /rua: "d@acme.com" must be mailto/],
    ["v=DMARC1; p=none; adkm=s", /unknown tag "adkm"/],
    ["v=DMARC1; p=none; p=reject", /p appears more than once/],
    ["v=DMARC1; p=none; fo=2", /fo=2/],
    ["v=DMARC1; p=none; sp", /not a tag=value pair/],
  ])("rejects %s", (txt, reason) => {
    const r = validateDmarc(txt);
    expect(r.valid).toBe(false);
    expect(r.errors.join(" | ")).toMatch(reason);
  });

  it("accepts a trailing semicolon, size limits and DMARCbis tags", () => {
    const r = validateDmarc(
      "v=DMARC1; p=quarantine; sp=reject; np=reject; rua=mailto:a@acme.com!10m,mailto:b@acme.com; ruf=mailto:f@acme.com; fo=0:d; ri=86400; pct=10;",
    );
    expect(r.errors).toEqual([]);
    expect(r.tags.p).toBe("quarantine");
  });

  it("warns when reports go to another domain (it must authorise them)", () => {
    const r = validateDmarc("v=DMARC1; p=none; rua=mailto:dmarc@reports.penguinmails.com", { domain: "acme.com" });
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([
      'reports go to reports.penguinmails.com, which must publish acme.com._report._dmarc.reports.penguinmails.com TXT "v=DMARC1"',
    ]);
  });
});

describe("buildDomainRecords", () => {
  it("builds the full set for a sample domain", () => {
    const records = buildDomainRecords(sample);
    expect(
      records.map((r) => [
        r.purpose,
        r.type,
        r.name,
        r.type === "TXT" ? r.content.slice(0, 40) : r.content,
        r.priority ?? null,
        r.managedAt,
        r.inDomain,
      ]),
    ).toEqual([
      ["mx", "MX", "acme.com", "mail.acme.com", 10, "zone", true],
      ["mail_host", "A", "mail.acme.com", "203.0.113.10", null, "zone", true],
      ["mail_host", "A", "mail.acme.com", "203.0.113.11", null, "zone", true],
      ["spf", "TXT", "acme.com", "v=spf1 ip4:203.0.113.10 ip4:203.0.113.11", null, "zone", true],
      ["dkim", "TXT", "pm._domainkey.acme.com", "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQ", null, "zone", true],
      ["dmarc", "TXT", "_dmarc.acme.com", "v=DMARC1; p=none; rua=mailto:dmarc@repor", null, "zone", true],
      ["tracking", "CNAME", "track.acme.com", "t.penguinmails.com", null, "zone", true],
      ["ptr", "PTR", "10.113.0.203.in-addr.arpa", "mail.acme.com", null, "provider", false],
      ["ptr", "PTR", "11.113.0.203.in-addr.arpa", "mail.acme.com", null, "provider", false],
    ]);
    const by = (p: string) => records.find((r) => r.purpose === p)!;
    expect(by("spf").content).toBe("v=spf1 ip4:203.0.113.10 ip4:203.0.113.11 ~all");
    expect(validateSpf(by("spf").content)).toMatchObject({ valid: true, lookups: 0 });
    expect(by("dmarc").content).toBe("v=DMARC1; p=none; rua=mailto:dmarc@reports.penguinmails.com; adkim=r; aspf=r; pct=100");
    expect(validateDmarc(by("dmarc").content).valid).toBe(true);
  });

  it("splits the DKIM TXT into ≤255-byte strings and quotes them for the zone", () => {
    const dkim = buildDomainRecords(sample).find((r) => r.purpose === "dkim")!;
    expect(dkim.content).toBe(`v=DKIM1; k=rsa; p=${DKIM_KEY}`);
    expect(dkim.strings!.length).toBeGreaterThan(1);
    for (const s of dkim.strings!) expect(bytes(s)).toBeLessThanOrEqual(255);
    expect(joinTxt(dkim.strings!)).toBe(dkim.content);
    expect(joinTxt(parseTxtStrings(dkim.zoneContent))).toBe(dkim.content);
  });

  it("accepts a PEM key and IPv6 nodes (AAAA + ip6, no PTR expectation)", () => {
    const pem = `-----BEGIN PUBLIC KEY-----\n${DKIM_KEY.match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n`;
    const records = buildDomainRecords({
      ...sample,
      nodeIps: ["2001:db8::25"],
      dkim: { selector: "pm", publicKey: pem },
      trackingHost: undefined,
      trackingCname: undefined,
    });
    expect(records.find((r) => r.purpose === "mail_host")).toMatchObject({ type: "AAAA", content: "2001:db8::25" });
    expect(records.find((r) => r.purpose === "spf")!.content).toBe("v=spf1 ip6:2001:db8::25 ~all");
    expect(records.some((r) => r.purpose === "ptr" || r.purpose === "tracking")).toBe(false);
    expect(records.find((r) => r.purpose === "dkim")!.content).toBe(`v=DKIM1; k=rsa; p=${DKIM_KEY}`);
  });

  it("marks a shared mail host outside the domain as not in the customer's zone", () => {
    const records = buildDomainRecords({ ...sample, mailHost: "node7.mx.penguinmails.com" });
    expect(records.find((r) => r.purpose === "mail_host")!.inDomain).toBe(false);
    expect(records.find((r) => r.purpose === "mx")!.inDomain).toBe(true);
  });

  it.each([
    [{ nodeIps: [] }, /at least one node IP/],
    [{ nodeIps: ["203.0.113.300"] }, /not an IP address/],
    [{ domain: "acme" }, /not a domain name/],
    [{ mailHost: "mail_acme.com" }, /not a host name/],
    [{ dkim: { selector: "pm", publicKey: "abc" } }, /DKIM public key/],
    [{ dkim: { selector: "bad selector", publicKey: DKIM_KEY } }, /not a DKIM selector/],
    [{ trackingHost: "acme.com" }, /CNAME cannot sit at the domain apex/],
    [{ trackingHost: "mail.acme.com" }, /cannot be the mail host/],
    [{ trackingCname: undefined }, /go together/],
    [{ dmarcRua: "nobody" }, /report address/],
    [{ ttl: 30 }, /ttl/],
    [
      {
        spfIncludes: [
          { domain: "_spf.google.com", lookups: 4 },
          { domain: "spf.mailgun.org", lookups: 5 },
        ],
      },
      /11 DNS lookups/,
    ],
  ])("refuses %o", (override, reason) => {
    expect(() => buildDomainRecords({ ...sample, ...override } as typeof sample)).toThrow(DnsRecordError);
    expect(() => buildDomainRecords({ ...sample, ...override } as typeof sample)).toThrow(reason);
  });
});

describe("suggestColdSubdomain", () => {
  it("suggests sub-domains of the domain, best first", () => {
    expect(suggestColdSubdomain("Acme.com.")).toEqual(["outreach.acme.com", "m.acme.com", "mail.acme.com"]);
    expect(suggestColdSubdomain("acme.co.uk", 5)).toEqual([
      "outreach.acme.co.uk",
      "m.acme.co.uk",
      "mail.acme.co.uk",
      "hello.acme.co.uk",
      "go.acme.co.uk",
    ]);
  });

  it("keeps a domain that already is a cold-mail sub-domain first, and refuses non-domains", () => {
    expect(suggestColdSubdomain("m.acme.com")[0]).toBe("m.acme.com");
    expect(suggestColdSubdomain("mail.com")[0]).toBe("outreach.mail.com");
    expect(() => suggestColdSubdomain("https://acme.com")).toThrow(DnsRecordError);
  });
});

describe("compareRecord", () => {
  const records = buildDomainRecords(sample);
  const rec = (purpose: string, nth = 0) => records.filter((r) => r.purpose === purpose)[nth]! as DnsRecord;
  const dkimValue = `v=DKIM1; k=rsa; p=${DKIM_KEY}`;

  it("MX: priority and competing exchangers matter", () => {
    expect(compareRecord(rec("mx"), ["10 mail.acme.com"]).status).toBe("match");
    expect(compareRecord(rec("mx"), ["10 MAIL.acme.com."]).status).toBe("match");
    expect(compareRecord(rec("mx"), ["20 mail.acme.com"])).toEqual({
      status: "mismatch",
      reason: "MX mail.acme.com has priority 20, expected 10",
    });
    expect(compareRecord(rec("mx"), ["1 aspmx.l.google.com", "10 mail.acme.com"]).reason).toMatch(/aspmx.l.google.com takes precedence/);
    expect(compareRecord(rec("mx"), ["10 mx.other.net"]).status).toBe("mismatch");
  });

  it("A, CNAME and PTR", () => {
    expect(compareRecord(rec("mail_host"), ["203.0.113.10"]).status).toBe("match");
    expect(compareRecord(rec("mail_host"), ["198.51.100.7"])).toEqual({
      status: "mismatch",
      reason: "mail.acme.com resolves to 198.51.100.7, expected 203.0.113.10",
    });
    expect(compareRecord(rec("tracking"), ["T.PenguinMails.com."]).status).toBe("match");
    expect(compareRecord(rec("tracking"), ["custom.lemlist.com"]).status).toBe("mismatch");
    expect(compareRecord(rec("ptr"), ["mail.acme.com."]).status).toBe("match");
    expect(compareRecord(rec("ptr"), ["hwsrv-100001.hostwindsdns.com"]).reason).toMatch(
      /PTR points to hwsrv-100001.hostwindsdns.com, expected mail.acme.com/,
    );
  });

  it("SPF: exact, equivalent, incomplete, duplicated, invalid", () => {
    const spf = rec("spf");
    expect(compareRecord(spf, ["v=spf1 ip4:203.0.113.10 ip4:203.0.113.11 ~all"]).status).toBe("match");
    const wider = compareRecord(spf, [
      "google-site-verification=x",
      "v=spf1 include:_spf.google.com ip4:203.0.113.11 ip4:203.0.113.10/32 -all",
    ]);
    expect(wider).toEqual({ status: "match", reason: "published SPF differs but authorises every sending IP" });
    expect(compareRecord(spf, ["v=spf1 ip4:203.0.113.10 ~all"])).toEqual({
      status: "mismatch",
      reason: "published SPF does not authorise ip4:203.0.113.11",
    });
    expect(compareRecord(spf, ["v=spf1 ip4:203.0.113.10 ?ip4:203.0.113.11 ~all"]).status).toBe("mismatch");
    expect(compareRecord(spf, ["v=spf1 ip4:203.0.113.10 ~all", "v=spf1 ip4:203.0.113.11 ~all"]).reason).toMatch(/2 SPF records/);
    expect(compareRecord(spf, ["google-site-verification=x"]).status).toBe("missing");
    expect(compareRecord(spf, ["v=spf1 ip4:203.0.113.10 ip4:203.0.113.11 +all"]).reason).toMatch(/published SPF is invalid/);
  });

  it("DKIM: split answers are joined; a different or revoked key is a mismatch", () => {
    const dkim = rec("dkim");
    expect(compareRecord(dkim, [quoteTxt(splitTxt(dkimValue))]).status).toBe("match");
    expect(compareRecord(dkim, [dkimValue]).status).toBe("match");
    const other = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "der" }).toString("base64");
    expect(compareRecord(dkim, [`v=DKIM1; k=rsa; p=${other}`]).reason).toMatch(/different DKIM public key/);
    expect(compareRecord(dkim, ["v=DKIM1; k=rsa; p="]).reason).toMatch(/revoked/);
    // A key truncated at 255 bytes (one string published) is not the key.
    expect(compareRecord(dkim, [splitTxt(dkimValue)[0]!]).status).toBe("mismatch");
  });

  it("DMARC: a stricter policy is progress, a lost rua or two records are not", () => {
    const dmarc = rec("dmarc");
    expect(compareRecord(dmarc, ["v=DMARC1; p=none; rua=mailto:dmarc@reports.penguinmails.com; adkim=r; aspf=r; pct=100"]).status).toBe(
      "match",
    );
    expect(compareRecord(dmarc, ["v=DMARC1; p=reject; rua=mailto:dmarc@reports.penguinmails.com"])).toEqual({
      status: "match",
      reason: "DMARC published with p=reject",
    });
    expect(compareRecord(dmarc, ["v=DMARC1; p=none"]).reason).toMatch(/rua does not include mailto:dmarc@reports.penguinmails.com/);
    expect(compareRecord(dmarc, ["v=DMARC1; p=none", "v=DMARC1; p=reject"]).reason).toMatch(/2 DMARC records/);
    expect(compareRecord(dmarc, ["v=DMARC1; p=nothing"]).reason).toMatch(/invalid/);
  });

  it("NXDOMAIN and empty answers are missing; a failed lookup is an error, not missing", () => {
    expect(compareRecord(rec("mx"), { status: "nxdomain", answers: [] })).toEqual({
      status: "missing",
      reason: "acme.com does not exist (NXDOMAIN)",
    });
    expect(compareRecord(rec("dkim"), { status: "ok", answers: [] }).status).toBe("missing");
    expect(compareRecord(rec("dkim"), { status: "error", answers: [], reason: "SERVFAIL" })).toEqual({
      status: "error",
      reason: "lookup failed for TXT pm._domainkey.acme.com: SERVFAIL",
    });
  });
});
