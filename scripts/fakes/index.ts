import { startFakeCloudflare } from "./cloudflare-fake.ts";
import { startFakeHostwinds } from "./hostwinds-fake.ts";
import { startFakeMailu } from "./mailu-fake.ts";

export { startFakeCloudflare } from "./cloudflare-fake.ts";
export { startFakeHostwinds } from "./hostwinds-fake.ts";
export { startFakeMailu } from "./mailu-fake.ts";
export { type FakeNodeAgent, type FakeNodeAgentOptions, startFakeNodeAgent } from "./node-agent.ts";

/**
 * Every vendor fake on its own free port, for local development (the dev supervisor hands the URLs
 * and credentials to the Worker) and for tests that need all three. Credentials are fixed dev
 * values unless given. Each fake's `state` is exposed too, so the fake node agent can be wired to
 * them: `startFakeNodeAgent({ hostwinds: fakes.hostwinds, mailu: fakes.mailu })`.
 */
export interface AllFakesOptions {
  mailuToken?: string;
  hostwindsApiKey?: string;
  cloudflareToken?: string;
  /** Zones the Cloudflare fake starts with. */
  cloudflareZones?: { name: string; id?: string }[];
}

export async function startAllFakes(opts: AllFakesOptions = {}) {
  const mailuToken = opts.mailuToken ?? "dev-mailu-api-token";
  const hostwindsApiKey = opts.hostwindsApiKey ?? "dev-hostwinds-api-key";
  const cloudflareToken = opts.cloudflareToken ?? "dev-cloudflare-api-token";
  const started: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(fake: T) => {
    started.push(fake);
    return fake;
  };
  let mailu: Awaited<ReturnType<typeof startFakeMailu>>;
  let hostwinds: Awaited<ReturnType<typeof startFakeHostwinds>>;
  let cloudflare: Awaited<ReturnType<typeof startFakeCloudflare>>;
  try {
    mailu = track(await startFakeMailu({ token: mailuToken }));
    hostwinds = track(await startFakeHostwinds({ apiKey: hostwindsApiKey }));
    cloudflare = track(await startFakeCloudflare({ token: cloudflareToken, zones: opts.cloudflareZones }));
  } catch (err) {
    // Don't leave half the fakes listening.
    await Promise.all(started.map((f) => f.close()));
    throw err;
  }
  return {
    mailu: { url: mailu.url, token: mailuToken, state: mailu.state },
    hostwinds: { url: hostwinds.url, apiKey: hostwindsApiKey, state: hostwinds.state },
    cloudflare: { url: cloudflare.url, dohUrl: cloudflare.dohUrl, token: cloudflareToken, state: cloudflare.state },
    urls: { mailu: mailu.url, hostwinds: hostwinds.url, cloudflare: cloudflare.url, doh: cloudflare.dohUrl },
    async close() {
      await Promise.all([mailu.close(), hostwinds.close(), cloudflare.close()]);
    },
  };
}
