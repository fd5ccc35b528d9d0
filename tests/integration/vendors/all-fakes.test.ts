import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAllFakes } from "../../../scripts/fakes/index.ts";
import { cloudflareDns } from "../../../workers/integrations/cloudflare-dns/client.ts";
import { dohResolver } from "../../../workers/integrations/doh/client.ts";
import { hostwindsHttp } from "../../../workers/integrations/hostwinds/client.ts";
import { mailuHttp } from "../../../workers/integrations/mailu/client.ts";

// startAllFakes() is what the dev supervisor will use: every fake up, with credentials the real clients accept.
let fakes: Awaited<ReturnType<typeof startAllFakes>>;
beforeAll(async () => {
  fakes = await startAllFakes({ cloudflareZones: [{ name: "acme.test", id: "zone-acme" }] });
});
afterAll(() => fakes.close());

describe("startAllFakes", () => {
  it("serves each vendor on its own port and the real clients work against them", async () => {
    const ports = Object.values(fakes.urls).map((u) => new URL(u).port);
    expect(new Set(ports.slice(0, 3)).size).toBe(3);
    expect(new URL(fakes.urls.doh).port).toBe(new URL(fakes.urls.cloudflare).port);

    await mailuHttp({ baseUrl: fakes.mailu.url, token: fakes.mailu.token }).createDomain("acme.test");
    expect(fakes.mailu.state.domains.has("acme.test")).toBe(true);

    expect(await hostwindsHttp({ baseUrl: fakes.hostwinds.url, apiKey: fakes.hostwinds.apiKey }).getInstances()).toEqual([]);

    await cloudflareDns({ token: fakes.cloudflare.token }, fetch, fakes.cloudflare.url).createRecord("zone-acme", {
      type: "A",
      name: "mail.acme.test",
      content: "203.0.113.10",
      ttl: 1,
    });
    expect(await dohResolver(fetch, fakes.cloudflare.dohUrl).resolve("mail.acme.test", "A")).toEqual({
      status: "ok",
      answers: ["203.0.113.10"],
    });
  });

  it("close() stops every server", async () => {
    const extra = await startAllFakes();
    await extra.close();
    for (const url of Object.values(extra.urls)) await expect(fetch(url)).rejects.toThrow();
  });
});
