import { type Config, parseConfigFrom } from "../../workers/platform/config.ts";
import { buildCtx, type RequestScope } from "../../workers/platform/context.ts";
import { createLogger } from "../../workers/platform/log.ts";

/** A system context for scripts (seed, maintenance), built from the same config parser as the Worker. */
export function scriptCtx(
  raw: Record<string, unknown>,
  reason: string,
): { ctx: RequestScope; config: Config; pending: Promise<unknown>[] } {
  const config = parseConfigFrom(raw);
  const pending: Promise<unknown>[] = [];
  const ctx = buildCtx({
    requestId: `script-${reason}`,
    config,
    log: createLogger({ script: reason }, "warn"),
    waitUntil: (p) => pending.push(p),
  });
  ctx.actor = { kind: "system", userId: null, reason };
  return { ctx, config, pending };
}
