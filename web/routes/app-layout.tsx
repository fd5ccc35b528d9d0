import { Form, NavLink, Outlet, useNavigation } from "react-router";
import { Logo } from "~/components/logo";
import { cn } from "~/lib/cn";
import { scopeContext } from "~/lib/context";
import { requireSession } from "~/lib/session.server";
import { listMyTenants } from "../../workers/tenants/index.ts";
import type { Route } from "./+types/app-layout";

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const tenants = await listMyTenants(scope);
  return {
    user: { name: session.actor.name, email: session.actor.email },
    tenant: session.tenant,
    tenants,
  };
}

const NAV = [{ to: "/", label: "Overview", end: true }];

export default function AppLayout({ loaderData }: Route.ComponentProps) {
  const { user, tenant } = loaderData;
  const nav = useNavigation();
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <aside className="hidden w-60 shrink-0 flex-col border-r border-slate-200 bg-white md:flex">
        <div className="flex items-center gap-2 px-5 py-4">
          <Logo className="size-7" />
          <span className="font-semibold tracking-tight">PenguinMails</span>
        </div>
        <nav aria-label="Main" className="flex flex-col gap-0.5 px-3 py-2">
          {NAV.map((item) => (
            <NavLink
              key={item.to}
              to={item.to}
              end={item.end}
              className={({ isActive }) =>
                cn(
                  "rounded-md px-3 py-2 text-sm font-medium",
                  isActive ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100",
                )
              }
            >
              {item.label}
            </NavLink>
          ))}
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between gap-4 border-b border-slate-200 bg-white px-6">
          <div className="flex items-center gap-2 text-sm">
            <span className="text-slate-500">Organization</span>
            <span className="font-medium text-slate-900">{tenant?.name ?? "No organization"}</span>
            {tenant ? <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{tenant.role}</span> : null}
          </div>
          <div className="flex items-center gap-3">
            <div className="text-right text-sm leading-tight">
              <p className="font-medium">{user.name}</p>
              <p className="text-xs text-slate-500">{user.email}</p>
            </div>
            <Form method="post" action="/sign-out">
              <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
                Sign out
              </button>
            </Form>
          </div>
        </header>
        <main
          id="main"
          className={cn("flex-1 p-6 transition-opacity", nav.state === "loading" && "opacity-60")}
          aria-busy={nav.state === "loading"}
        >
          <Outlet />
        </main>
      </div>
    </div>
  );
}
