import { Hono } from "hono";
import { HeartbeatBody, markNodeReady, ReadyBody, recordHeartbeat, takeBootstrap } from "../infra/nodes.ts";
import { AppError } from "../platform/errors.ts";
import type { AppEnv } from "./types.ts";

/**
 * What the software on a provisioned node calls (workers/infra/README.md "Node agent protocol").
 * No session or API key: the bootstrap URL is signed and one-time; ready and heartbeat carry the
 * agent token minted at bootstrap. Bodies are small, so a strict 16 KB cap.
 */
async function jsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.length > 16_384) throw new AppError("PAYLOAD_TOO_LARGE", "Agent payloads are at most 16 KB.");
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "Malformed JSON body.");
  }
}

function parse<T>(
  schema: {
    safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new AppError("BAD_REQUEST", "Invalid agent payload.", {
      issues: r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  return r.data;
}

export const nodeAgentRoutes = new Hono<AppEnv>()
  .get("/bootstrap/:token", async (c) => {
    const format = c.req.query("format") === "json" ? "json" : "sh";
    const out = await takeBootstrap(c.var.ctx, c.req.param("token"), format);
    c.header("cache-control", "no-store");
    if (out.kind === "sh") return c.body(out.body, 200, { "content-type": "text/x-shellscript; charset=utf-8" });
    return c.json(out.body, 200);
  })
  .post("/ready", async (c) => {
    const body = parse(ReadyBody, await jsonBody(c.req.raw));
    const r = await markNodeReady(c.var.ctx, c.req.header("authorization") ?? null, body);
    if (r.runId) {
      // Wake the provisioning run now rather than at its next check; a failure here only delays it.
      await c.env.PROVISION.get(r.runId)
        .then((i) => i.sendEvent({ type: "node-ready", payload: { nodeId: r.nodeId } }))
        .catch((err: Error) => c.var.ctx.log.warn("node.ready_event_failed", { runId: r.runId, error: err.message }));
    }
    return c.json({ ok: true, heartbeatSeconds: 30 }, 200);
  })
  .post("/heartbeat", async (c) => {
    const body = parse(HeartbeatBody, await jsonBody(c.req.raw));
    return c.json(await recordHeartbeat(c.var.ctx, c.req.header("authorization") ?? null, body), 200);
  });
