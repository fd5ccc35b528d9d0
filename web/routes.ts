import { index, layout, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  // Public pages (no session needed).
  route("sign-in", "routes/sign-in.tsx"),
  route("sign-up", "routes/sign-up.tsx"),
  route("sign-out", "routes/sign-out.tsx"),
  route("verify-email", "routes/verify-email.tsx"),
  route("forgot-password", "routes/forgot-password.tsx"),
  route("reset-password", "routes/reset-password.tsx"),
  route("accept-invite", "routes/accept-invite.tsx"),
  route("confirm-email", "routes/confirm-email.tsx"),
  route("dev/outbox", "routes/dev-outbox.tsx"),
  // The signed-in app.
  layout("routes/app-layout.tsx", [
    index("routes/home.tsx"),
    route("switch-tenant", "routes/switch-tenant.tsx"),
    route("leads", "routes/leads/index.tsx"),
    route("leads/export", "routes/leads/export.ts"),
    route("leads/import", "routes/leads/import.tsx"),
    route("leads/imports/:importId", "routes/leads/import-progress.tsx"),
    route("leads/imports/:importId/errors", "routes/leads/import-errors.ts"),
    route("leads/:leadId", "routes/leads/detail.tsx"),
    route("suppression", "routes/suppression.tsx"),
    route("mailboxes", "routes/mailboxes/index.tsx"),
    route("mailboxes/:mailboxId", "routes/mailboxes/detail.tsx"),
    route("campaigns", "routes/campaigns/index.tsx"),
    route("campaigns/new", "routes/campaigns/new.tsx"),
    route("campaigns/:campaignId", "routes/campaigns/detail.tsx"),
    route("campaigns/:campaignId/edit", "routes/campaigns/edit.tsx"),
    route("templates", "routes/templates/index.tsx"),
    route("templates/new", "routes/templates/new.tsx"),
    route("templates/:templateId", "routes/templates/edit.tsx"),
    route("settings", "routes/settings/layout.tsx", [
      index("routes/settings/profile.tsx"),
      route("security", "routes/settings/security.tsx"),
      route("organization", "routes/settings/organization.tsx"),
      route("team", "routes/settings/team.tsx"),
      route("workspaces", "routes/settings/workspaces.tsx"),
      route("api-keys", "routes/settings/api-keys.tsx"),
      route("audit-log", "routes/settings/audit-log.tsx"),
    ]),
  ]),
] satisfies RouteConfig;
