import { describe, expect, it } from "vitest";
import { signTrack, type TrackClaims, verifyTrack } from "../../workers/tracking/token.ts";

const SECRET = "unit-secret-unit-secret-unit-secret-0000";
const CLICK: TrackClaims = { t: "ten_1", s: "snd_1", c: "cmp_1", at: 1767225600000, u: "https://example.com/prix?q=é&x=1" };
const OPEN: TrackClaims = { t: "ten_1", s: "snd_1", c: "cmp_1", at: 1767225600000 };
// Signed by the first implementation (atob-based): links in mail already sent must keep working.
const PINNED_CLICK =
  "eyJ0IjoidGVuXzEiLCJzIjoic25kXzEiLCJjIjoiY21wXzEiLCJhdCI6MTc2NzIyNTYwMDAwMCwidSI6Imh0dHBzOi8vZXhhbXBsZS5jb20vcHJpeD9xPcOpJng9MSJ9.joPuoUeoVGM8uOxN";
const PINNED_OPEN = "eyJ0IjoidGVuXzEiLCJzIjoic25kXzEiLCJjIjoiY21wXzEiLCJhdCI6MTc2NzIyNTYwMDAwMH0.VyQyHA-QKcIgS0-s";
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

describe("tracking tokens", () => {
  it("keeps the wire format: tokens from mail already sent still verify, and signing is unchanged", async () => {
    expect(await verifyTrack(SECRET, PINNED_CLICK)).toEqual(CLICK);
    expect(await verifyTrack(SECRET, PINNED_OPEN)).toEqual(OPEN);
    expect(await signTrack(SECRET, CLICK)).toBe(PINNED_CLICK);
    expect(await signTrack(SECRET, OPEN)).toBe(PINNED_OPEN);
  });

  it("round-trips claims of every length (all base64url tail lengths)", async () => {
    for (let n = 0; n < 12; n++) {
      const claims = { ...CLICK, s: `snd_${"x".repeat(n)}`, u: `https://example.com/${"ü".repeat(n)}` };
      expect(await verifyTrack(SECRET, await signTrack(SECRET, claims))).toEqual(claims);
    }
  });

  it("rejects every single-character change, so a click token binds its URL", async () => {
    const dot = PINNED_CLICK.indexOf(".");
    for (let i = 0; i < PINNED_CLICK.length; i++) {
      if (i === dot) continue;
      const other = ALPHABET[(ALPHABET.indexOf(PINNED_CLICK[i]!) + 1 + (i % 63)) % 64]!;
      const claims = await verifyTrack(SECRET, `${PINNED_CLICK.slice(0, i)}${other}${PINNED_CLICK.slice(i + 1)}`);
      // The body's last character carries 2 or 4 padding bits the decoder drops: a change there may
      // decode to the same signed bytes (the same claims), never to different ones.
      if (i === dot - 1 && claims) expect(claims).toEqual(CLICK);
      else expect(claims, `position ${i}`).toBeNull();
    }
    const retargeted = Buffer.from(JSON.stringify({ ...CLICK, u: "https://evil.example/" })).toString("base64url");
    expect(await verifyTrack(SECRET, `${retargeted}.${PINNED_CLICK.slice(dot + 1)}`)).toBeNull();
  });

  it("returns null, never throws, for anything that is not a genuine token", async () => {
    const [body, sig] = PINNED_OPEN.split(".") as [string, string];
    const signedJson = async (json: string) => {
      const key = await crypto.subtle.importKey(
        "raw",
        new TextEncoder().encode(`tracking:${SECRET}`),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      const bytes = new TextEncoder().encode(json);
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes)).subarray(0, 12);
      return `${Buffer.from(bytes).toString("base64url")}.${Buffer.from(mac).toString("base64url")}`;
    };
    const bad = [
      "",
      ".",
      "not-a-token",
      `${body}`,
      `${body}.`,
      `.${sig}`,
      `${body}.${sig}A`,
      `${body}.${sig.slice(1)}`,
      `${body}=.${sig}`,
      `${body.replace(/-/g, "+")}+.${sig}`,
      `${body}/.${sig}`,
      `${body}.${sig.slice(0, -1)}=`,
      `${body}é.${sig}`,
      `${body}.${sig}.${sig}`,
      `${"A".repeat(5000)}.${sig}`,
      `A.${sig}`, // a body length no base64 can have
      await signTrack("another-secret-another-secret-another-sec", OPEN),
      await signedJson("null"),
      await signedJson("[]"),
      await signedJson("42"),
      await signedJson("{not json"),
      await signedJson(JSON.stringify({ t: "ten_1", s: "snd_1", c: "cmp_1" })),
      await signedJson(JSON.stringify({ ...OPEN, at: "1767225600000" })),
      await signedJson(JSON.stringify({ ...OPEN, u: "javascript:alert(1)" })),
      await signedJson(JSON.stringify({ ...OPEN, u: 42 })),
    ];
    for (const token of bad) expect(await verifyTrack(SECRET, token), token.slice(0, 60)).toBeNull();
  });

  it("verifies a token only under the secret that signed it", async () => {
    const token = await signTrack(SECRET, OPEN);
    expect(await verifyTrack(SECRET, token)).toEqual(OPEN);
    expect(await verifyTrack(`${SECRET}x`, token)).toBeNull();
  });
});
