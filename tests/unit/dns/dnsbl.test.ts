import { describe, expect, it } from "vitest";
import { classifyDnsbl, dnsblQueryName } from "../../../workers/dns/dnsbl.ts";
import { isIpv4, isIpv6, reverseIpv4 } from "../../../workers/dns/names.ts";

describe("DNSBL conventions", () => {
  it("reverses the IPv4 address under the list zone", () => {
    expect(dnsblQueryName("1.2.3.4", "zen.spamhaus.org")).toBe("4.3.2.1.zen.spamhaus.org");
    expect(dnsblQueryName("203.0.113.10", "KEY.zen.dq.spamhaus.net.")).toBe("10.113.0.203.KEY.zen.dq.spamhaus.net");
    expect(reverseIpv4("203.0.113.10")).toBe("10.113.0.203.in-addr.arpa");
    expect(() => dnsblQueryName("2001:db8::1", "zen.spamhaus.org")).toThrow(RangeError);
  });

  it("NXDOMAIN is clean; 127.0.0.x codes are listings with their meaning", () => {
    expect(classifyDnsbl({ status: "nxdomain", answers: [] })).toEqual({ status: "clean" });
    expect(classifyDnsbl({ status: "ok", answers: ["127.0.0.2", "127.0.0.4"] })).toEqual({
      status: "listed",
      codes: ["127.0.0.2", "127.0.0.4"],
      reasons: ["SBL (spam source)", "XBL (exploited host)"],
    });
    expect(classifyDnsbl({ status: "ok", answers: ["127.0.0.99"] })).toMatchObject({ status: "listed", reasons: ["listed (127.0.0.99)"] });
  });

  it("127.255.255.254/255 is a refusal of the resolver, never a listing", () => {
    expect(classifyDnsbl({ status: "ok", answers: ["127.255.255.254"] }).status).toBe("refused");
    expect(classifyDnsbl({ status: "ok", answers: ["127.255.255.255"] }).status).toBe("refused");
    expect(classifyDnsbl({ status: "error", answers: [], reason: "SERVFAIL" })).toEqual({ status: "error", reason: "SERVFAIL" });
    expect(classifyDnsbl({ status: "ok", answers: ["10.0.0.1"] }).status).toBe("error");
  });
});

describe("address syntax", () => {
  it.each(["192.0.2.1", "0.0.0.0", "255.255.255.255"])("IPv4 %s", (ip) => expect(isIpv4(ip)).toBe(true));
  it.each(["192.0.2", "192.0.2.256", "01.2.3.4", "1.2.3.4.5", ""])("not IPv4 %s", (ip) => expect(isIpv4(ip)).toBe(false));
  it.each(["2001:db8::1", "::1", "::", "2001:db8:0:0:0:0:0:1", "::ffff:192.0.2.1", "fe80::1:2:3:4:5"])("IPv6 %s", (ip) =>
    expect(isIpv6(ip)).toBe(true),
  );
  it.each(["2001:db8::1::2", "2001:db8:0:0:0:0:0:0:1", "12345::", "g::1", "1:2:3:4:5:6:7::8:9", "::ffff:192.0.2.300"])(
    "not IPv6 %s",
    (ip) => expect(isIpv6(ip)).toBe(false),
  );
});
