import { signTrack, type TrackClaims } from "../../workers/tracking/token.ts";

/**
 * The requests both tracking benchmarks send (in-isolate: tracking.bench-test.ts; over HTTP:
 * http.ts): a bare 204 baseline, open pixels and click redirects with a distinct signed token per
 * send, malformed tokens of every kind on both routes, and a static GIF control, each with the status
 * it must get.
 */
export interface Target {
  path: string;
  status: number;
  location?: string;
}
export interface Leg {
  name: string;
  targets: Target[];
  readBody?: boolean;
}

const distinct = 1000; // distinct tokens per leg: no two sends share one, as in real mail

export async function legs(SECRET: string): Promise<Leg[]> {
  const sentAt = Date.now() - 3_600_000; // an hour ago: a human click, not a "too fast" scanner
  const claims = (i: number): TrackClaims => ({ t: "ten_bench", s: `snd_bench_${i}`, c: "cmp_bench", at: sentAt });
  const pixel: Target[] = [];
  const click: Target[] = [];
  for (let i = 0; i < distinct; i++) {
    pixel.push({ path: `/t/o/${await signTrack(SECRET, claims(i))}.gif`, status: 200 });
    const u = `https://example.com/pricing?plan=${i}&utm_source=mail`;
    click.push({ path: `/t/c/${await signTrack(SECRET, { ...claims(i), u })}`, status: 302, location: u });
  }
  const flip = (s: string, at: number) => `${s.slice(0, at)}${s[at] === "A" ? "B" : "A"}${s.slice(at + 1)}`;
  const px = pixel[0]!.path.slice(5, -4);
  const ck = click[0]!.path.slice(5);
  const signed = async (c: unknown) => signTrack(SECRET, c as TrackClaims);
  const foreign = await signTrack("another-secret-another-secret-another-sec", claims(0));
  const bad: string[] = [
    "not-a-token",
    "not-a-token.gif",
    flip(px, px.indexOf(".") + 3), // signature tampered
    flip(px, 5), // body tampered
    foreign, // signed with another key
    await signed({ t: 1, s: "x" }), // valid signature, wrong shape
    await signed({ ...claims(0), u: "javascript:alert(1)" }), // valid signature, not an http(s) target
    `${"A".repeat(5000)}.${"B".repeat(16)}`, // over the size limit
    "@@@@.@@@@", // not base64url
    "a.b.c",
    "%E0%A4%A", // broken percent-encoding
    "%%%garbage",
    "%C3%B1.%C3%B1",
    "x.",
    ".x",
  ];
  const malformed: Target[] = [
    ...bad.map((t) => ({ path: `/t/o/${t}`, status: 200 })), // the pixel is always a GIF
    ...bad.map((t) => ({ path: `/t/c/${t}`, status: 404 })), // a bad click is a 404 page, never a redirect
    { path: `/t/c/${px}`, status: 404 }, // an open token has no target
    { path: `/t/c/${flip(ck, 8)}`, status: 404 }, // target URL changed
  ];
  return [
    { name: "bare 204", targets: [{ path: "/t/ping", status: 204 }] },
    { name: "open pixel", targets: pixel },
    { name: "click redirect", targets: click },
    { name: "malformed tokens", targets: malformed },
    { name: "pixel + body read", targets: pixel, readBody: true },
    // Control: the pixel's GIF and headers with no token, verification or enqueue, so a reader can
    // tell what serving an image costs the runtime from what the tracking work adds.
    { name: "static GIF", targets: [{ path: "/t/ping.gif", status: 200 }] },
  ];
}
