import { describe, expect, it } from "vitest";
import { call, seed, signInAs } from "../support/api.ts";

// A host name is exclusive only once verified: a pending claim cannot block its real owner.
describe("custom tracking domains: no squatting", () => {
  it("lets both tenants add the host, the first to verify wins, the other is told why", async () => {
    const squatter = await signInAs(await seed("Squat"));
    const ownerT = await seed("Owner");
    const owner = await signInAs(ownerT);
    const squatterWs = (await call("GET", "/api/v1/workspaces", squatter)).json.items[0].id;
    const host = "track.contested.test";

    const early = await call("POST", "/api/v1/tracking-domains", { ...squatter, body: { workspaceId: squatterWs, hostname: host } });
    expect(early.status).toBe(201);
    const mine = await call("POST", "/api/v1/tracking-domains", { ...owner, body: { workspaceId: ownerT.workspaceId, hostname: host } });
    expect(mine.status, mine.text).toBe(201);
    const twice = await call("POST", "/api/v1/tracking-domains", { ...owner, body: { workspaceId: ownerT.workspaceId, hostname: host } });
    expect(twice.status).toBe(409);

    const verified = await call("POST", `/api/v1/tracking-domains/${mine.json.id}/verify`, owner);
    expect(verified.json.status).toBe("verified");
    const late = await call("POST", `/api/v1/tracking-domains/${early.json.id}/verify`, squatter);
    expect(late.status).toBe(200);
    expect(late.json).toMatchObject({ status: "failed", lastError: `${host} is already verified by another organization.` });
  });
});
