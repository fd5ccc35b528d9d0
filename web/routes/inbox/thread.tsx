import type * as React from "react";
import { useEffect, useRef, useState } from "react";
import { data, Link, useFetcher } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput, useCsrfToken } from "~/components/csrf-input";
import { CATEGORY_OPTIONS, CategoryBadge, categoryLabel } from "~/components/inbox/category";
import { inboxSearch } from "~/components/inbox/filters";
import { InboxLayout } from "~/components/inbox/inbox-layout";
import { RouteError } from "~/components/leads/not-found";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardBody } from "~/components/ui/card";
import { Notice, type NoticeMessage } from "~/components/ui/notice";
import { SelectField } from "~/components/ui/select";
import { TextareaField } from "~/components/ui/textarea";
import { DateTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, formValues, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { getThread, replyToThread, updateThread } from "../../../workers/inbox/service.ts";
import { INBOX_CATEGORIES } from "../../../workers/inbox/tables.ts";
import type { Route } from "./+types/thread";
import { loadInboxList } from "./inbox.server";

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: `${loaderData?.thread.subject || "Conversation"} · Inbox · PenguinMails` },
];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  if (!session.tenant) throw data("No active organization for this session.", { status: 403 });
  const [thread, list] = await Promise.all([orHttp(getThread(scope, params.threadId)), loadInboxList(scope, new URL(request.url))]);
  return {
    thread,
    list,
    me: session.actor.userId,
    mailbox: list.mailboxes.find((m) => m.id === thread.mailboxId) ?? null,
    campaignName: list.campaigns.find((c) => c.id === thread.campaignId)?.name ?? null,
  };
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} title="Conversation" back={{ to: "/inbox", label: "Back to the inbox" }} />;
}

const FLAGS = {
  read: { unread: false },
  unread: { unread: true },
  archive: { status: "archived" },
  unarchive: { status: "open" },
} as const;

const CategoryForm = z.object({
  category: z.union([z.enum(INBOX_CATEGORIES), z.literal("")], { error: "Choose a category" }).transform((v) => (v === "" ? null : v)),
});
const AssignForm = z.object({
  assignedTo: z
    .string()
    .max(64)
    .transform((v) => v || null),
});
const ReplyForm = z.object({
  text: z
    .string({ error: "Write your reply first" })
    .trim()
    .min(1, "Write your reply first")
    .max(50_000, "Keep the reply under 50,000 characters"),
});

export async function action({ request, context, params }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  const id = params.threadId;
  const intent = String(form.get("intent"));
  if (intent in FLAGS) return handleForm(form, z.object({}), () => updateThread(scope, id, FLAGS[intent as keyof typeof FLAGS]));
  switch (intent) {
    case "category":
      return handleForm(form, CategoryForm, (input) => updateThread(scope, id, input));
    case "assign":
      return handleForm(form, AssignForm, (input) => updateThread(scope, id, input));
    case "reply":
      try {
        return await handleForm(form, ReplyForm, (input) => replyToThread(scope, id, input));
      } catch (err) {
        // The mailbox's SMTP server refused or could not be reached: say so next to the draft
        // (which stays in the box) instead of an error page. The message is the server's own reply.
        if (err instanceof Error && err.name === "SmtpError") {
          return data({ ok: false, intent, formError: smtpFailure(err), values: formValues(form) }, { status: 502 });
        }
        throw err;
      }
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

/** workers/sending/smtp.ts SmtpError (matched by name: that module is loaded lazily, for cloudflare:sockets). */
function smtpFailure(err: Error): string {
  const e = err as Error & { phase?: string; outcomeUnknown?: boolean };
  if (e.outcomeUnknown)
    return `The connection dropped right after the reply was handed over, so it may have been delivered. Check the mailbox's Sent folder before sending it again. (${e.message})`;
  const what =
    e.phase === "auth"
      ? "The mail server refused the mailbox's login"
      : e.phase === "mail" || e.phase === "rcpt" || e.phase === "data" || e.phase === "body"
        ? "The mail server refused the reply"
        : "Could not reach the mailbox's mail server";
  return `${what}: ${e.message}`;
}

type Loaded = Route.ComponentProps["loaderData"];
type Thread = Loaded["thread"];
type Message = Thread["messages"][number];

export default function ThreadPage({ loaderData }: Route.ComponentProps) {
  return (
    <InboxLayout list={loaderData.list} selectedId={loaderData.thread.id}>
      {/* Keyed by thread: moving to another conversation starts with a fresh draft, notices and forms. */}
      <Conversation key={loaderData.thread.id} data={loaderData} />
    </InboxLayout>
  );
}

function Conversation({ data: d }: { data: Loaded }) {
  const t = d.thread;
  const canWrite = d.list.canWrite;
  const [notice, setNotice] = useState<NoticeMessage>(null);
  useMarkReadOnOpen(t, canWrite);
  const members = new Map(d.list.members.map((m) => [m.userId, m.name || m.email]));
  const assignee = t.assignedTo ? (members.get(t.assignedTo) ?? "a former member") : null;
  return (
    <article aria-labelledby="thread-subject" className="flex flex-col gap-4">
      <nav aria-label="Breadcrumb" className="text-sm lg:hidden">
        <Link to={`/inbox${inboxSearch(d.list.filters, d.list.pages)}`} className="text-brand-700 hover:underline">
          ← All conversations
        </Link>
      </nav>
      <Card>
        <header className="flex flex-col gap-2 border-b border-slate-100 px-5 py-4">
          <h2 id="thread-subject" className="text-lg font-semibold text-slate-900">
            {t.subject || "(no subject)"}
          </h2>
          <dl className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
            <div className="flex gap-1">
              <dt className="text-slate-500">With</dt>
              <dd className="font-medium text-slate-800">{t.participant}</dd>
            </div>
            {t.campaignId ? (
              <div className="flex gap-1">
                <dt className="text-slate-500">Campaign</dt>
                <dd>
                  <Link to={`/campaigns/${t.campaignId}`} className="font-medium text-brand-700 hover:underline">
                    {d.campaignName ?? "Open campaign"}
                  </Link>
                </dd>
              </div>
            ) : null}
            {t.leadId ? (
              <div className="flex gap-1">
                <dt className="text-slate-500">Lead</dt>
                <dd>
                  <Link to={`/leads/${t.leadId}`} className="font-medium text-brand-700 hover:underline">
                    View lead
                  </Link>
                </dd>
              </div>
            ) : null}
          </dl>
          <p className="flex flex-wrap items-center gap-2 text-sm">
            {t.status === "archived" ? <Badge>Archived</Badge> : null}
            {t.unread ? <Badge tone="brand">Unread</Badge> : null}
            {t.category ? <CategoryBadge category={t.category} /> : null}
            {assignee ? (
              <span className="text-slate-600">Assigned to {assignee}</span>
            ) : (
              <span className="text-slate-500">Not assigned</span>
            )}
          </p>
        </header>
        {canWrite ? (
          <CardBody>
            <Toolbar data={d} onNotice={setNotice} />
          </CardBody>
        ) : null}
      </Card>
      <Notice notice={notice} />
      <ol aria-label="Messages, oldest first" className="flex flex-col gap-3">
        {t.messages.map((m) => (
          <MessageItem key={m.id} message={m} />
        ))}
      </ol>
      {canWrite ? <ReplyBox data={d} /> : <Alert tone="info">You can read this conversation, but your role does not allow replying.</Alert>}
    </article>
  );
}

/**
 * Opening a conversation marks it read: an effect posts the "read" intent once per (thread, latest
 * message). Not in the loader, because loaders also run for link prefetching and for the 15 s
 * refresh, which would undo "Mark as unread"; a new message arriving while it is open marks it
 * read again, since it is on screen.
 */
function useMarkReadOnOpen(t: Thread, canWrite: boolean) {
  const fetcher = useFetcher();
  const submit = useRef(fetcher.submit);
  submit.current = fetcher.submit;
  const csrf = useCsrfToken();
  const key = `${t.id}:${t.messages.at(-1)?.id ?? ""}`;
  const done = useRef<string | null>(null);
  useEffect(() => {
    // Decided once per key, read or not: a later "Mark as unread" on the same message sticks.
    if (done.current === key) return;
    done.current = key;
    if (canWrite && t.unread) void submit.current({ csrf, intent: "read" }, { method: "post" });
  }, [key, t.unread, canWrite, csrf]);
}

function Toolbar({ data: d, onNotice }: { data: Loaded; onNotice: (n: NoticeMessage) => void }) {
  const t = d.thread;
  const names = d.list.members.map((m) => m.name);
  // Names alone, unless two members share one.
  const memberOptions = d.list.members.map((m) => ({
    value: m.userId,
    label: !m.name ? m.email : names.indexOf(m.name) !== names.lastIndexOf(m.name) ? `${m.name} (${m.email})` : m.name,
  }));
  if (t.assignedTo && !d.list.members.some((m) => m.userId === t.assignedTo))
    memberOptions.push({ value: t.assignedTo, label: "A former member" });
  return (
    <div className="flex flex-wrap items-end gap-x-6 gap-y-4">
      <div className="flex flex-wrap items-end gap-2">
        <IntentButton
          intent={t.unread ? "read" : "unread"}
          label={t.unread ? "Mark as read" : "Mark as unread"}
          done={t.unread ? "Marked as read." : "Marked as unread."}
          onNotice={onNotice}
        />
        <IntentButton
          intent={t.status === "archived" ? "unarchive" : "archive"}
          label={t.status === "archived" ? "Move back to open" : "Archive"}
          done={
            t.status === "archived"
              ? "Moved back to the open conversations."
              : "Archived. It is now under Archived and comes back when they write again."
          }
          onNotice={onNotice}
        />
      </div>
      <SelectForm
        intent="category"
        name="category"
        label="Category"
        current={t.category ?? ""}
        options={[{ value: "", label: "No category" }, ...CATEGORY_OPTIONS]}
        done={(v) => (v ? `Category set to ${categoryLabel(v)}.` : "Category removed.")}
        onNotice={onNotice}
      />
      <SelectForm
        intent="assign"
        name="assignedTo"
        label="Assigned to"
        current={t.assignedTo ?? ""}
        options={[{ value: "", label: "Nobody" }, ...memberOptions]}
        done={(v) => (v ? `Assigned to ${memberOptions.find((o) => o.value === v)?.label ?? "them"}.` : "No longer assigned.")}
        onNotice={onNotice}
        extra={
          d.me && t.assignedTo !== d.me && d.list.members.some((m) => m.userId === d.me) ? (
            <IntentButton
              intent="assign"
              fields={{ assignedTo: d.me }}
              label="Assign to me"
              done="Assigned to you."
              onNotice={onNotice}
              variant="ghost"
            />
          ) : null
        }
      />
    </div>
  );
}

function IntentButton({
  intent,
  label,
  done,
  onNotice,
  fields,
  variant = "secondary",
}: {
  intent: string;
  label: string;
  done: string;
  onNotice: (n: NoticeMessage) => void;
  fields?: Record<string, string>;
  variant?: "secondary" | "ghost";
}) {
  const f = useActionForm({ onSuccess: () => onNotice({ text: done }) });
  return (
    <f.Form method="post" className="flex flex-col gap-1">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <Button type="submit" variant={variant} busy={f.busy}>
        {label}
      </Button>
      {f.formError ? (
        <p role="alert" className="max-w-56 text-xs font-medium text-red-600">
          {f.formError}
        </p>
      ) : null}
    </f.Form>
  );
}

/** A select with its own Save button: native and keyboard-safe (no request per arrow key). */
function SelectForm({
  intent,
  name,
  label,
  current,
  options,
  done,
  onNotice,
  extra,
}: {
  intent: string;
  name: string;
  label: string;
  current: string;
  options: { value: string; label: string }[];
  done: (value: string) => string;
  onNotice: (n: NoticeMessage) => void;
  extra?: React.ReactNode;
}) {
  const f = useActionForm({ onSuccess: () => onNotice({ text: done(value) }) });
  const [value, setValue] = useState(current);
  // Follow the stored value when it changes elsewhere (another tab, a teammate, the refresh).
  useEffect(() => setValue(current), [current]);
  return (
    <div className="flex flex-wrap items-end gap-2">
      <f.Form method="post" className="flex flex-col gap-1">
        <CsrfInput />
        <input type="hidden" name="intent" value={intent} />
        <div className="flex items-end gap-2">
          <SelectField
            label={label}
            name={name}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            options={options}
            error={f.fieldError(name)}
            className="w-56"
          />
          <Button type="submit" variant="secondary" busy={f.busy} disabled={value === current}>
            Save
          </Button>
        </div>
        {f.formError ? (
          <p role="alert" className="text-xs font-medium text-red-600">
            {f.formError}
          </p>
        ) : null}
      </f.Form>
      {extra}
    </div>
  );
}

/** Splits off the quoted history mail clients append ("On … wrote:" followed by "> " lines). */
function splitQuoted(text: string): { body: string; quoted: string | null } {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!.trim();
    if (l === "" || l.startsWith(">")) {
      if (l.startsWith(">")) start = i;
      continue;
    }
    break;
  }
  if (start <= 0) return { body: text, quoted: null };
  let head = start;
  for (let i = start - 1; i >= 0; i--) {
    const l = lines[i]!.trim();
    if (l === "") continue;
    if (/wrote:$|schrieb:$|a écrit\s?:$/i.test(l)) head = i;
    break;
  }
  const body = lines.slice(0, head).join("\n").trimEnd();
  return body ? { body, quoted: lines.slice(head).join("\n") } : { body: text, quoted: null };
}

// The compliance footer our campaign mail ends with (workers/templates/footer.ts: "---", the postal address, "Unsubscribe: <url>").
const FOOTER = /\n---\n(?:.*\n){0,8}Unsubscribe: \S+\s*$/;

function splitFooter(text: string): { body: string; footer: string | null } {
  const m = FOOTER.exec(text);
  return m ? { body: text.slice(0, m.index).trimEnd(), footer: m[0].trim() } : { body: text, footer: null };
}

function Collapsed({ summary, text }: { summary: string; text: string }) {
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer rounded text-xs font-medium text-slate-500 hover:text-slate-700">{summary}</summary>
      <div className="mt-2 whitespace-pre-wrap break-words border-l-2 border-slate-200 pl-3 text-slate-500">{text}</div>
    </details>
  );
}

function MessageItem({ message: m }: { message: Message }) {
  const ours = m.direction === "out";
  const { body: withoutFooter, footer } = ours ? splitFooter(m.text) : { body: m.text, footer: null };
  const { body, quoted } = splitQuoted(withoutFooter);
  return (
    <li className={ours ? "flex justify-end sm:pl-12" : "flex justify-start sm:pr-12"}>
      <article
        aria-label={`${ours ? "Sent by us" : m.auto ? "Automatic reply" : "Reply"} from ${m.from || "unknown sender"}`}
        className={
          ours
            ? "w-full rounded-lg border border-brand-100 bg-brand-50/70 px-4 py-3"
            : "w-full rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-xs"
        }
      >
        <header className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1">
          <div className="min-w-0 text-sm">
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-semibold text-slate-900">{ours ? "You" : m.from || "Unknown sender"}</span>
              {ours ? <Badge tone="brand">Sent</Badge> : m.auto ? <Badge tone="warning">Automatic reply</Badge> : <Badge>Reply</Badge>}
            </p>
            <p className="mt-0.5 break-all text-xs text-slate-500">{ours ? `From ${m.from} to ${m.to}` : `To ${m.to || "your mailbox"}`}</p>
          </div>
          <DateTime value={m.at} className="shrink-0 text-xs text-slate-500" />
        </header>
        {m.subject ? <p className="mt-2 text-xs font-medium text-slate-600">Subject: {m.subject}</p> : null}
        {body.trim() ? (
          <div className="mt-2 whitespace-pre-wrap break-words text-sm leading-relaxed text-slate-800">{body}</div>
        ) : (
          <p className="mt-2 text-sm italic text-slate-500">No text content.</p>
        )}
        {quoted ? <Collapsed summary="Show quoted text" text={quoted} /> : null}
        {footer ? <Collapsed summary="Show footer (postal address and unsubscribe link)" text={footer} /> : null}
      </article>
    </li>
  );
}

function ReplyBox({ data: d }: { data: Loaded }) {
  const t = d.thread;
  const box = d.mailbox;
  const f = useActionForm({ reset: true });
  const lastIn = [...t.messages].reverse().find((m) => m.direction === "in");
  const to = lastIn?.from || t.participant;
  const status = f.busy ? "Sending your reply…" : f.succeeded?.intent === "reply" ? `Reply sent to ${to}.` : "";
  return (
    <Card aria-labelledby="reply-heading">
      <CardBody className="flex flex-col gap-3">
        <div>
          <h3 id="reply-heading" className="text-base font-semibold text-slate-900">
            Reply
          </h3>
          <p className="mt-0.5 text-sm text-slate-500">
            {box ? `From ${box.email} to ${to}, ` : `To ${to}, `}threaded under their last message. Sent as plain text.
          </p>
        </div>
        {!t.mailboxId ? (
          <Alert tone="warning">This conversation has no mailbox to reply from (it may have been deleted).</Alert>
        ) : box && box.status !== "active" ? (
          <Alert tone="warning" title={`The mailbox ${box.email} is ${box.status === "paused" ? "paused" : "failing"}`}>
            Replies cannot be sent until it is active again.{" "}
            <Link to={`/mailboxes/${box.id}`} className="font-medium underline">
              Open the mailbox
            </Link>
          </Alert>
        ) : null}
        <f.Form method="post" ref={f.formRef} className="flex flex-col gap-3" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="reply" />
          {f.formError ? (
            <Alert tone="error" title="Your reply was not sent">
              {f.formError}
            </Alert>
          ) : null}
          <TextareaField
            label="Your reply"
            name="text"
            rows={6}
            maxLength={50_000}
            required
            hint="Ctrl+Enter (⌘+Enter on a Mac) sends."
            error={f.fieldError("text")}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
          <div className="flex flex-wrap items-center justify-end gap-3">
            <p role="status" aria-live="polite" className="text-sm text-slate-600">
              {status}
            </p>
            <Button type="submit" busy={f.busy}>
              Send reply
            </Button>
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}
