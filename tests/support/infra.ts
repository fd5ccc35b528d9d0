import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { bootstrapUrl } from "../../workers/infra/provisioning.ts";
import { infraNodes } from "../../workers/infra/tables.ts";
import { hostwindsHttp } from "../../workers/integrations/hostwinds/client.ts";
import { mailuHttp } from "../../workers/integrations/mailu/client.ts";
import { masterKeys } from "../../workers/platform/context.ts";
import { runInTx } from "../../workers/platform/db.ts";
import { newId } from "../../workers/platform/ids.ts";
import { encryptSecret } from "../../workers/platform/secrets.ts";
import { call, scope } from "./api.ts";

/**
 * Infrastructure fixtures for workerd tests. The vendor fakes run in globalSetup (one MailU for
 * every node, Hostwinds, Cloudflare DNS + DoH); from here they are reached over HTTP only, as the
 * Worker reaches them.
 */
export const CF_ZONE = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
export const CF_TOKEN = "test-cf-token-0123456789abcdef";
/** The fake MailU's initial API token: nodes seeded directly use it. */
export const MAILU_TOKEN = "test-mailu-bootstrap-token";

const cfg = () => env as unknown as Record<string, string>;
export const mailu = (token = MAILU_TOKEN) => mailuHttp({ baseUrl: cfg().MAILU_API_URL!, token });
export const hostwindsClient = () => hostwindsHttp({ baseUrl: cfg().HOSTWINDS_API_URL!, apiKey: cfg().HOSTWINDS_API_KEY! });

export const rand = () => Math.random().toString(36).slice(2, 8);

export async function withScope<T>(tenantId: string, fn: (s: ReturnType<typeof scope>) => Promise<T>): Promise<T> {
  const s = scope();
  s.tenant = { id: tenantId, name: "", role: "owner" };
  s.actor = { kind: "system", userId: null, reason: "test" };
  try {
    return await fn(s);
  } finally {
    await s.dispose();
  }
}

/** An active node that heartbeated just now, as if provisioned earlier. */
export async function seedNode(
  tenantId: string,
  opts: { hostname?: string; ip?: string; workspaceId?: string | null; heartbeatAgoMs?: number; status?: "active" | "maintenance" } = {},
) {
  return withScope(tenantId, async (s) => {
    const id = newId("nod");
    const mailuTokenEnc = await encryptSecret(await masterKeys(s), MAILU_TOKEN);
    await runInTx(s.db, { tenantId }, (tx) =>
      tx.insert(infraNodes).values({
        id,
        tenantId,
        workspaceId: opts.workspaceId ?? null,
        name: opts.hostname ?? `mail.n${rand()}.cfzone.test`,
        hostname: opts.hostname ?? `mail.n${rand()}.cfzone.test`,
        status: opts.status ?? "active",
        srvrname: `pm-${id.slice(4).toLowerCase()}`,
        mainIp: opts.ip ?? "198.51.100.7",
        ips: [opts.ip ?? "198.51.100.7"],
        mailuTokenEnc,
        readyAt: new Date(),
        lastHeartbeatAt: new Date(Date.now() - (opts.heartbeatAgoMs ?? 0)),
      }),
    );
    return id;
  });
}

export async function nodeRow(tenantId: string, nodeId: string) {
  return withScope(tenantId, (s) =>
    runInTx(s.db, { tenantId }, async (tx) => (await tx.select().from(infraNodes).where(eq(infraNodes.id, nodeId)))[0]!),
  );
}

/**
 * Plays the software on a new VPS: fetches the one-time bootstrap bundle, installs the MailU API
 * token it carries into the MailU fake (what writing mailu.env does on a real node), and calls back ready.
 */
export async function playNode(tenantId: string, nodeId: string) {
  const node = await nodeRow(tenantId, nodeId);
  const url = await withScope(tenantId, (s) => bootstrapUrl(s, node));
  const boot = await call("GET", `${new URL(url).pathname}?format=json`);
  if (boot.status !== 200) throw new Error(`bootstrap failed: ${boot.status} ${boot.text}`);
  const control = new URL("/__control/api-tokens", cfg().MAILU_API_URL!);
  const reg = await fetch(control, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: boot.json.mailuApiToken }),
  });
  if (!reg.ok) throw new Error(`mailu fake control failed: ${reg.status}`);
  const ready = await call("POST", "/api/nodes/ready", {
    headers: { authorization: `Bearer ${boot.json.agentToken}` },
    body: { version: "test-agent/1", ips: [node.mainIp] },
  });
  if (ready.status !== 200) throw new Error(`ready failed: ${ready.status} ${ready.text}`);
  return boot.json as { agentToken: string; mailuApiToken: string; files: Record<string, string>; heartbeatUrl: string };
}
