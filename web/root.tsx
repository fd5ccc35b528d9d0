import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "react-router";
import type { Route } from "./+types/root";
import "./app.css";

export const meta: Route.MetaFunction = () => [{ title: "PenguinMails" }];

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen font-sans">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const given = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : null;
  const title =
    status === 404 ? "Page not found" : status === 403 ? "Not allowed" : status < 500 ? "That did not work" : "Something went wrong";
  const detail =
    given && status < 500
      ? given
      : status === 404
        ? "The page you asked for does not exist or you do not have access to it."
        : "We could not load this page. Try again in a moment; if it keeps happening, contact support.";
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-3 p-6" role="alert">
      <p className="text-sm font-semibold text-brand-600">{status}</p>
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="text-slate-600">{detail}</p>
      <a className="text-brand-600 underline" href="/">
        Back to the dashboard
      </a>
    </main>
  );
}
