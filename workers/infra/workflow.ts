import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import { parseConfig } from "../platform/config.ts";
import { buildCtx, type Ctx } from "../platform/context.ts";
import { createLogger } from "../platform/log.ts";
import {
  finishRun,
  NotYet,
  rollbackRun,
  StepFatal,
  type StepKey,
  stepCreateDomain,
  stepCreateMailboxes,
  stepCreateVps,
  stepNodeReady,
  stepPublishDns,
  stepSetRdns,
  stepVerifyDns,
  stepWaitIp,
  updateStep,
} from "./provisioning.ts";

export type ProvisionParams = { tenantId: string; runId: string };

/** Vendor calls: a few quick retries with backoff (transient errors only; StepFatal skips them). */
const VENDOR = { retries: { limit: 4, delay: "10 seconds", backoff: "exponential" }, timeout: "2 minutes" } as const;
/** Waiting for Hostwinds to build the server: poll every 20 s for up to ~30 min. */
const POLL = { retries: { limit: 90, delay: "20 seconds", backoff: "constant" }, timeout: "1 minute" } as const;
/** The node agent calls back once MailU is up; checked every 5 min between waits, up to an hour. */
const READY_ROUNDS = 12;

/**
 * Provisioning as durable steps (workers/infra/README.md). Progress and errors of every attempt are
 * written to the run row; the steps themselves are idempotent, so a replayed or retried step never
 * orders a second VPS or creates a second domain. Any step that fails for good rolls back what was
 * created and leaves the run `failed` with the reason.
 */
export class ProvisionWorkflow extends WorkflowEntrypoint<Env, ProvisionParams> {
  private scope<T>(tenantId: string, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
    const config = parseConfig(this.env);
    const ctx = buildCtx({
      requestId: `wf-${crypto.randomUUID()}`,
      config,
      log: createLogger({ workflow: "provision" }, config.LOG_LEVEL),
      waitUntil: (p) => this.ctx.waitUntil(p),
    });
    ctx.tenant = { id: tenantId, name: "", role: "owner" };
    ctx.actor = { kind: "system", userId: null, reason: "provisioning" };
    return fn(ctx).finally(() => ctx.dispose());
  }

  override async run(event: Readonly<WorkflowEvent<ProvisionParams>>, step: WorkflowStep) {
    const { tenantId, runId } = event.payload;
    const tracked = <T>(key: StepKey, fn: (ctx: Ctx) => Promise<T>, skipWhenNull = false) =>
      this.scope(tenantId, async (ctx) => {
        await updateStep(ctx, runId, key, { status: "running" });
        try {
          const out = await fn(ctx);
          const skipped = skipWhenNull && out === null;
          await updateStep(
            ctx,
            runId,
            key,
            { status: skipped ? "skipped" : "done", detail: typeof out === "string" ? out : skipped ? "Not needed." : undefined },
            typeof out === "string" ? { level: "info", message: out } : undefined,
          );
          return out;
        } catch (err) {
          const message = (err as Error).message;
          // Waiting is progress, not a problem: shown on the step, not repeated in the log every poll.
          const patch = err instanceof NotYet ? { detail: message } : { error: message.slice(0, 500) };
          await updateStep(ctx, runId, key, patch, err instanceof NotYet ? undefined : { level: "warn", message }).catch(() => undefined);
          if (err instanceof StepFatal) throw new NonRetryableError(message);
          throw err;
        }
      });

    try {
      await step.do("create_vps", VENDOR, () => tracked("create_vps", (ctx) => stepCreateVps(ctx, runId)));
      await step.do("wait_ip", POLL, () => tracked("wait_ip", (ctx) => stepWaitIp(ctx, runId)));
      await step.do("set_rdns", VENDOR, () => tracked("set_rdns", (ctx) => stepSetRdns(ctx, runId)));

      let ready = false;
      for (let round = 0; round < READY_ROUNDS && !ready; round++) {
        ready = await step.do(`check_ready_${round}`, VENDOR, () =>
          this.scope(tenantId, async (ctx) => {
            if (round === 0)
              await updateStep(ctx, runId, "bootstrap", {
                status: "running",
                detail: "Waiting for the node to install MailU and call back.",
              });
            return stepNodeReady(ctx, runId);
          }),
        );
        if (!ready) {
          // The ready callback sends this event; a missed event is caught by the next check.
          await step.waitForEvent(`node_ready_${round}`, { type: "node-ready", timeout: "5 minutes" }).catch(() => undefined);
        }
      }
      if (!ready) throw new Error("The node did not report ready within an hour (MailU bootstrap failed or the node cannot reach us).");
      await step.do("bootstrap_done", VENDOR, () =>
        this.scope(tenantId, (ctx) =>
          updateStep(
            ctx,
            runId,
            "bootstrap",
            { status: "done", detail: "MailU is up; the node heartbeats." },
            { level: "info", message: "Node reported ready." },
          ),
        ),
      );

      await step.do("create_domain", VENDOR, () => tracked("create_domain", (ctx) => stepCreateDomain(ctx, runId)));
      await step.do("publish_dns", VENDOR, () => tracked("publish_dns", (ctx) => stepPublishDns(ctx, runId), true));
      await step.do("verify_dns", VENDOR, () => tracked("verify_dns", (ctx) => stepVerifyDns(ctx, runId)));
      await step.do("create_mailboxes", VENDOR, () => tracked("create_mailboxes", (ctx) => stepCreateMailboxes(ctx, runId), true));
      await step.do("finish", VENDOR, () => this.scope(tenantId, (ctx) => finishRun(ctx, runId)));
      return { status: "succeeded" as const };
    } catch (err) {
      const reason = ((err as Error).message || "Provisioning failed.").replace(/^NonRetryableError: /, "");
      const result = await step.do("rollback", VENDOR, () => this.scope(tenantId, (ctx) => rollbackRun(ctx, runId, reason)));
      return { status: "failed" as const, reason, ...result };
    }
  }
}
