import { campaignClock } from "../../durable-objects/stubs.ts";
import { failDeadLetteredImport } from "../leads/imports/dead-letter.ts";
import type { Ctx } from "../platform/context.ts";
import type { Logger } from "../platform/log.ts";
import type { QueueMessage } from "./messages.ts";

/** The dead-letter queues this Worker consumes (wrangler.toml), one per queue with retries. */
export const DEAD_LETTER_QUEUES = new Set(["pm-imports-dlq", "pm-campaigns-dlq", "pm-sends-dlq"]);

/** How long after a dead-lettered tick its campaign's clock fires again: time for a passing outage to end. */
export const TICK_REARM_MS = 5 * 60_000;

/**
 * A message that failed every retry. Each kind ends in a state a person can see or that recovers on
 * its own: a send becomes `failed`/`unknown`, an import `failed` with a reason, and a campaign's
 * clock (whose alarm already fired for the dead tick) is armed again a few minutes later.
 */
export async function handleDeadLetter(
  ctx: Ctx,
  env: Env,
  log: Logger,
  // Tracking hits never get here: pm-events has no dead-letter queue (handleQueue records them wherever they come from).
  body: Exclude<QueueMessage, { kind: "track" | "track.hits" }>,
): Promise<void> {
  switch (body.kind) {
    case "send": {
      // Loaded here so this module (and DEAD_LETTER_QUEUES) stays importable outside workerd: the
      // send path pulls in cloudflare:sockets.
      const { markDeadLettered } = await import("../sending/deliver.ts");
      await markDeadLettered(ctx, body.tenantId, body.sendIds);
      return;
    }
    case "lead_import.step": {
      const failed = await failDeadLetteredImport(ctx, body.tenantId, body.importId);
      log.error("queue.import_dead_lettered", { tenantId: body.tenantId, importId: body.importId, markedFailed: failed });
      return;
    }
    case "campaign.tick": {
      const at = Date.now() + TICK_REARM_MS;
      const rearmed = await campaignClock(env, body.campaignId).rearm(body.tenantId, body.campaignId, at);
      log.error("queue.tick_dead_lettered", {
        tenantId: body.tenantId,
        campaignId: body.campaignId,
        rearmedFor: rearmed ? new Date(at).toISOString() : null,
      });
      return;
    }
  }
}
