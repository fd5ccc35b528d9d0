import { authenticate } from "./middleware/authenticate.ts";
import { rateLimit } from "./middleware/rate-limit.ts";
import { newRouter } from "./router.ts";
import { accountRoutes } from "./routes/account.ts";
import { apiKeyRoutes } from "./routes/api-keys.ts";
import { auditRoutes } from "./routes/audit.ts";
import { authRoutes } from "./routes/auth.ts";
import { campaignRoutes } from "./routes/campaigns.ts";
import { eventRoutes } from "./routes/events.ts";
import { inboxRoutes } from "./routes/inbox.ts";
import { infraRoutes } from "./routes/infra.ts";
import { leadImportRoutes } from "./routes/lead-imports.ts";
import { leadRoutes } from "./routes/leads.ts";
import { mailboxRoutes } from "./routes/mailboxes.ts";
import { memberRoutes } from "./routes/members.ts";
import { platformRoutes } from "./routes/platform.ts";
import { suppressionRoutes } from "./routes/suppressions.ts";
import { templateRoutes } from "./routes/templates.ts";
import { tenantRoutes } from "./routes/tenants.ts";
import { trackingDomainRoutes } from "./routes/tracking-domains.ts";
import { workspaceRoutes } from "./routes/workspaces.ts";

export const v1 = newRouter();
v1.use("*", authenticate, rateLimit);
v1.route("/auth", authRoutes);
v1.route("/", accountRoutes);
v1.route("/", tenantRoutes);
v1.route("/workspaces", workspaceRoutes);
v1.route("/", memberRoutes);
v1.route("/api-keys", apiKeyRoutes);
v1.route("/audit-log", auditRoutes);
v1.route("/events", eventRoutes);
// Import routes first: /leads/export.csv must not be taken for /leads/{leadId}.
v1.route("/", leadImportRoutes);
v1.route("/", leadRoutes);
v1.route("/suppressions", suppressionRoutes);
v1.route("/templates", templateRoutes);
v1.route("/mailboxes", mailboxRoutes);
v1.route("/campaigns", campaignRoutes);
v1.route("/inbox", inboxRoutes);
v1.route("/tracking-domains", trackingDomainRoutes);
v1.route("/", infraRoutes);
v1.route("/platform", platformRoutes);

v1.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  description: "API key: `Authorization: Bearer pm_live_…` (Settings → API keys).",
});
v1.openAPIRegistry.registerComponent("securitySchemes", "session", {
  type: "apiKey",
  in: "cookie",
  name: "pm_session",
  description: "Dashboard session cookie; writes also need the `X-CSRF-Token` header.",
});

v1.doc31("/openapi.json", (c) => ({
  openapi: "3.1.0",
  info: {
    title: "PenguinMails API",
    version: c.var.ctx.config.APP_VERSION,
    description:
      "Cold-email infrastructure and outreach. All responses are JSON; errors use one envelope `{ error: { code, message, requestId } }`.",
  },
  servers: [{ url: `${c.var.ctx.config.APP_URL}/api/v1` }],
}));
