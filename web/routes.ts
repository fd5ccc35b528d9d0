import { type RouteConfig, index, layout, route } from "@react-router/dev/routes";

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
