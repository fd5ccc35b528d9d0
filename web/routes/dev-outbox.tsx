import type * as React from "react";
import { Fragment } from "react";
import { Link, useNavigation, useRevalidator } from "react-router";
import { Logo } from "~/components/logo";
import { EmptyState } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { cn } from "~/lib/cn";
import { scopeContext } from "~/lib/context";
import { orHttp } from "~/lib/forms.server";
import { listDevOutbox } from "../../workers/mailer/queries.ts";
import type { Route } from "./+types/dev-outbox";

export const meta: Route.MetaFunction = () => [{ title: "Dev outbox · PenguinMails" }, { name: "robots", content: "noindex" }];

/** Platform mail captured while no SMTP relay is configured. 404 in production (the verb refuses). */
export async function loader({ context }: Route.LoaderArgs) {
  const rows = await orHttp(listDevOutbox(context.get(scopeContext)));
  return {
    messages: rows.map((m) => ({
      id: m.id,
      kind: m.kind,
      to: m.toAddress,
      subject: m.subject,
      text: m.text,
      status: m.status,
      error: m.error,
      createdAt: m.createdAt.toISOString(),
    })),
  };
}

const STATUS_TONE: Record<string, string> = {
  captured: "bg-slate-100 text-slate-700",
  queued: "bg-amber-100 text-amber-800",
  sent: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
};

export default function DevOutbox({ loaderData }: Route.ComponentProps) {
  const { messages } = loaderData;
  const revalidator = useRevalidator();
  const nav = useNavigation();
  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-4xl items-center justify-between gap-4 px-4 py-3">
          <Link to="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <Logo className="size-7" />
            PenguinMails
          </Link>
          <span className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-medium text-amber-900">Local development only</span>
        </div>
      </header>
      <main
        className="mx-auto flex max-w-4xl flex-col gap-5 px-4 py-8"
        aria-busy={revalidator.state === "loading" || nav.state === "loading"}
      >
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Dev outbox</h1>
            <p className="text-sm text-slate-600">
              Account e-mail (verification, password reset, invitations) captured instead of sent. Newest first, last 50.
            </p>
          </div>
          <Button variant="secondary" size="sm" busy={revalidator.state === "loading"} onClick={() => revalidator.revalidate()}>
            Refresh
          </Button>
        </div>
        {messages.length === 0 ? (
          <EmptyState title="No mail yet">
            Sign up, ask for a password reset or invite a teammate: the message shows up here with its links.
          </EmptyState>
        ) : (
          <ol className="flex flex-col gap-3">
            {messages.map((m, i) => (
              <li key={m.id}>
                <article className="rounded-lg border border-slate-200 bg-white shadow-xs">
                  <details open={i === 0} className="group">
                    <summary className="flex cursor-pointer list-none flex-col gap-1 rounded-lg px-5 py-4 hover:bg-slate-50 sm:flex-row sm:items-start sm:justify-between sm:gap-4 [&::-webkit-details-marker]:hidden">
                      <span className="flex min-w-0 gap-2">
                        <svg
                          aria-hidden="true"
                          viewBox="0 0 20 20"
                          className="mt-1 size-4 shrink-0 text-slate-400 transition-transform group-open:rotate-90"
                          fill="none"
                          stroke="currentColor"
                          strokeWidth="1.75"
                        >
                          <path d="m7.5 5 5 5-5 5" />
                        </svg>
                        <span className="flex min-w-0 flex-col">
                          <span className="font-medium text-slate-900 sm:truncate">{m.subject}</span>
                          <span className="truncate text-sm text-slate-600">
                            To <span className="font-medium text-slate-800">{m.to}</span>
                          </span>
                        </span>
                      </span>
                      <span className="flex shrink-0 items-center gap-2 pl-6 text-xs sm:pl-0">
                        <span className="rounded bg-brand-50 px-1.5 py-0.5 font-mono text-brand-700">{m.kind}</span>
                        <span className={cn("rounded px-1.5 py-0.5 font-medium", STATUS_TONE[m.status] ?? STATUS_TONE.captured)}>
                          {m.status}
                        </span>
                        <time dateTime={m.createdAt} className="text-slate-500 tabular-nums">
                          {formatTime(m.createdAt)}
                        </time>
                      </span>
                    </summary>
                    <div className="border-t border-slate-100 px-5 py-4">
                      {m.error ? <p className="mb-3 text-sm text-red-700">Delivery error: {m.error}</p> : null}
                      <pre className="font-sans text-sm leading-relaxed break-words whitespace-pre-wrap text-slate-800">
                        <Linkified text={m.text} />
                      </pre>
                    </div>
                  </details>
                </article>
              </li>
            ))}
          </ol>
        )}
      </main>
    </div>
  );
}

const URL_RE = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** The message text with each http(s) URL as a link (the text itself is never parsed as HTML). */
function Linkified({ text }: { text: string }) {
  const nodes: React.ReactNode[] = [];
  let at = 0;
  for (const match of text.matchAll(URL_RE)) {
    const url = match[0];
    nodes.push(<Fragment key={`t${at}`}>{text.slice(at, match.index)}</Fragment>);
    nodes.push(
      <a
        key={`u${match.index}`}
        href={url}
        className="break-all font-medium text-brand-600 underline decoration-brand-500/40 underline-offset-4 hover:text-brand-700 hover:decoration-brand-700"
      >
        {url}
      </a>,
    );
    at = match.index + url.length;
  }
  nodes.push(<Fragment key={`t${at}`}>{text.slice(at)}</Fragment>);
  return <>{nodes}</>;
}

/** UTC, so the server render and the browser agree. */
function formatTime(iso: string) {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}
