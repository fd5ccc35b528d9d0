import { DropdownMenu } from "radix-ui";
import { Form, NavLink, Outlet, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { Logo } from "~/components/logo";
import { cn } from "~/lib/cn";
import { scopeContext } from "~/lib/context";
import { requireSession } from "~/lib/session.server";
import { csrfToken } from "../../workers/auth/csrf.ts";
import { listMyTenants } from "../../workers/tenants/index.ts";
import type { Route } from "./+types/app-layout";

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const tenants = await listMyTenants(scope);
  return {
    user: { name: session.actor.name, email: session.actor.email, emailVerified: session.actor.emailVerified ?? true },
    tenant: session.tenant,
    tenants,
    csrf: await csrfToken(scope.config.AUTH_SECRET, session.actor.sessionId),
  };
}

const NAV = [
  { to: "/", label: "Overview", end: true },
  { to: "/inbox", label: "Inbox", end: false },
  { to: "/campaigns", label: "Campaigns", end: false },
  { to: "/leads", label: "Leads", end: false },
  { to: "/templates", label: "Templates", end: false },
  { to: "/mailboxes", label: "Mailboxes", end: false },
  { to: "/domains", label: "Domains", end: false },
  { to: "/infrastructure", label: "Infrastructure", end: false },
  { to: "/suppression", label: "Suppression", end: false },
  { to: "/settings", label: "Settings", end: false },
];

export default function AppLayout({ loaderData }: Route.ComponentProps) {
  const { user, tenant, tenants } = loaderData;
  const nav = useNavigation();
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
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
        <header className="flex h-14 items-center justify-between gap-2 border-b border-slate-200 bg-white px-3 sm:gap-4 sm:px-6">
          <TenantSwitcher current={tenant} tenants={tenants} />
          <div className="flex items-center gap-3">
            <div className="hidden text-right text-sm leading-tight sm:block">
              <p className="font-medium">{user.name}</p>
              <p className="text-xs text-slate-500">{user.email}</p>
            </div>
            <Form method="post" action="/sign-out">
              <CsrfInput />
              <button type="submit" className="whitespace-nowrap rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
                Sign out
              </button>
            </Form>
          </div>
        </header>
        {/* Below md the sidebar is hidden: the same links as a scrollable bar. */}
        <nav aria-label="Main" className="flex gap-1 overflow-x-auto border-b border-slate-200 bg-white px-2 py-1.5 md:hidden">
          {NAV.map((item) => (
            <NavLink
              key={item.to}
              to={item.to}
              end={item.end}
              className={({ isActive }) =>
                cn(
                  "whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium",
                  isActive ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100",
                )
              }
            >
              {item.label}
            </NavLink>
          ))}
        </nav>
        {!user.emailVerified ? (
          <div
            className="flex flex-wrap items-center justify-between gap-3 border-b border-amber-200 bg-amber-50 px-6 py-2 text-sm text-amber-900"
            role="status"
          >
            <span>Confirm your e-mail address: we sent a link to {user.email}.</span>
            <Form method="post" action="/verify-email">
              <CsrfInput />
              <input type="hidden" name="intent" value="resend" />
              <button type="submit" className="font-medium underline">
                Send it again
              </button>
            </Form>
          </div>
        ) : null}
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

function TenantSwitcher({
  current,
  tenants,
}: {
  current: { id: string; name: string; role: string } | null;
  tenants: { id: string; name: string; role: string }[];
}) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-slate-100"
        aria-label="Switch organization"
      >
        <span className="hidden text-slate-500 sm:inline">Organization</span>
        <span className="font-medium text-slate-900">{current?.name ?? "None"}</span>
        {current ? <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{current.role}</span> : null}
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4 text-slate-500" fill="currentColor">
          <path d="M5.5 7.5 10 12l4.5-4.5" stroke="currentColor" strokeWidth="1.5" fill="none" />
        </svg>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={6}
          className="z-50 min-w-64 rounded-lg border border-slate-200 bg-white p-1 shadow-lg"
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-xs font-medium text-slate-500">Your organizations</DropdownMenu.Label>
          {tenants.map((t) => (
            <Form key={t.id} method="post" action="/switch-tenant">
              <CsrfInput />
              <input type="hidden" name="tenantId" value={t.id} />
              <DropdownMenu.Item asChild>
                <button
                  type="submit"
                  className="flex w-full items-center justify-between gap-3 rounded-md px-2 py-2 text-left text-sm outline-none data-[highlighted]:bg-slate-100"
                  aria-current={t.id === current?.id ? "true" : undefined}
                >
                  <span className={cn(t.id === current?.id && "font-semibold")}>{t.name}</span>
                  <span className="text-xs text-slate-500">{t.role}</span>
                </button>
              </DropdownMenu.Item>
            </Form>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
