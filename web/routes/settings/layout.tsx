import { NavLink, Outlet } from "react-router";
import { cn } from "~/lib/cn";
import { scopeContext } from "~/lib/context";
import { requireSession } from "~/lib/session.server";
import type { Route } from "./+types/layout";

export const meta: Route.MetaFunction = () => [{ title: "Settings · PenguinMails" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const session = await requireSession(request, context.get(scopeContext));
  return { role: session.tenant?.role ?? null };
}

const ITEMS = [
  { to: "/settings", label: "Profile", end: true, roles: null },
  { to: "/settings/security", label: "Security & sessions", end: false, roles: null },
  { to: "/settings/organization", label: "Organization", end: false, roles: null },
  { to: "/settings/team", label: "Team", end: false, roles: null },
  { to: "/settings/workspaces", label: "Workspaces", end: false, roles: null },
  { to: "/settings/tracking-domains", label: "Tracking domains", end: false, roles: null },
  { to: "/settings/api-keys", label: "API keys", end: false, roles: ["owner", "admin"] },
  { to: "/settings/audit-log", label: "Audit log", end: false, roles: ["owner", "admin"] },
] as const;

export default function SettingsLayout({ loaderData }: Route.ComponentProps) {
  const items = ITEMS.filter(
    (i) => i.roles === null || (loaderData.role !== null && (i.roles as readonly string[]).includes(loaderData.role)),
  );
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6 lg:flex-row">
      <nav aria-label="Settings" className="flex shrink-0 flex-row gap-1 overflow-x-auto lg:w-52 lg:flex-col">
        {items.map((i) => (
          <NavLink
            key={i.to}
            to={i.to}
            end={i.end}
            className={({ isActive }) =>
              cn(
                "whitespace-nowrap rounded-md px-3 py-2 text-sm",
                isActive ? "bg-white font-medium text-slate-900 shadow-xs ring-1 ring-slate-200" : "text-slate-600 hover:bg-slate-100",
              )
            }
          >
            {i.label}
          </NavLink>
        ))}
      </nav>
      <div className="min-w-0 flex-1">
        <Outlet />
      </div>
    </div>
  );
}
