import { createRequestHandler, RouterContextProvider } from "react-router";
import { envContext, scopeContext } from "../web/lib/context.ts";
import { api } from "./api/app.ts";
import { purgeDeletedAccounts } from "./auth/purge.ts";
import { processInbound } from "./inbound/process.ts";
import { syncProviderInstances } from "./infra/sync.ts";
import { recheckDueDomains } from "./infra/verify.ts";
import { parseConfig } from "./platform/config.ts";
import { buildCtx } from "./platform/context.ts";
import { createLogger } from "./platform/log.ts";
import { clientIp, requestIdFrom } from "./platform/request.ts";
import { handleQueue } from "./queues/index.ts";
import { hostServesPath, isApiPath } from "./tracking/hosts.ts";
import { recheckTrackingDomains } from "./tracking/recheck-domains.ts";

export { CampaignClock, MailboxPacer, RateLimiter } from "../durable-objects/index.ts";
export { ProvisionWorkflow } from "./infra/workflow.ts";

/** The hourly trigger in wrangler.toml; every other cron is the daily one. */
const HOURLY_CRON = "7 * * * *";

/** Paths answered by the Hono app; everything else is the dashboard. */
const dashboard = createRequestHandler(() => import("virtual:react-router/server-build"), import.meta.env.MODE);

async function serveDashboard(request: Request, env: Env, exec: ExecutionContext): Promise<Response> {
  const requestId = requestIdFrom(request);
  const config = parseConfig(env);
  const scope = buildCtx({
    requestId,
    config,
    log: createLogger({ requestId }, config.LOG_LEVEL),
    ip: clientIp(request),
    userAgent: request.headers.get("user-agent"),
    waitUntil: (p) => exec.waitUntil(p),
  });
  const context = new RouterContextProvider();
  context.set(scopeContext, scope);
  context.set(envContext, env);
  try {
    const res = await dashboard(request, context);
    res.headers.set("x-request-id", requestId);
    return res;
  } finally {
    exec.waitUntil(scope.dispose());
  }
}

export default {
  fetch(request, env, exec) {
    const { pathname, hostname } = new URL(request.url);
    if (!hostServesPath(hostname, pathname, parseConfig(env).APP_URL)) {
      return new Response("Not found", { status: 404 });
    }
    if (isApiPath(pathname)) return api.fetch(request, env, exec);
    return serveDashboard(request, env, exec);
  },
  queue: handleQueue,
  /** Cloudflare Email Routing: bounces (VERP/DSN), complaints (ARF) and forwarded replies. */
  async email(message, env, exec) {
    const config = parseConfig(env);
    const scope = buildCtx({
      requestId: `email-${crypto.randomUUID()}`,
      config,
      log: createLogger({ inbound: true }, config.LOG_LEVEL),
      waitUntil: (p) => exec.waitUntil(p),
    });
    scope.actor = { kind: "system", userId: null, reason: "inbound" };
    try {
      const raw = new Uint8Array(await new Response(message.raw).arrayBuffer());
      // message.to is the envelope recipient: for a bounce to a VERP address it names the send.
      const r = await processInbound(scope, raw, { from: message.from, to: message.to });
      scope.log.info("inbound.processed", { handled: r.handled, sendId: r.sendId, via: r.via });
    } finally {
      exec.waitUntil(scope.dispose());
    }
  },
  /** Cron Triggers (wrangler.toml `[triggers]`): hourly DNS re-checks (sending and tracking domains); daily housekeeping and provider sync. */
  async scheduled(controller, env, exec) {
    const config = parseConfig(env);
    const scope = buildCtx({
      requestId: `cron-${crypto.randomUUID()}`,
      config,
      log: createLogger({ cron: controller.cron }, config.LOG_LEVEL),
      waitUntil: (p) => exec.waitUntil(p),
    });
    scope.actor = { kind: "system", userId: null, reason: "cron" };
    try {
      const at = new Date(controller.scheduledTime);
      if (controller.cron === HOURLY_CRON) {
        await recheckDueDomains(scope, at);
        await recheckTrackingDomains(scope, at);
      } else {
        await purgeDeletedAccounts(scope, at);
        await syncProviderInstances(scope);
      }
    } finally {
      exec.waitUntil(scope.dispose());
    }
  },
} satisfies ExportedHandler<Env>;
