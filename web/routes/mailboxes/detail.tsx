import { useState } from "react";
import { data, Link, redirect } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { RouteError } from "~/components/leads/not-found";
import { useFocusFirstInvalid } from "~/components/mailboxes/focus-invalid";
import { MailboxFields, type MailboxFormValues } from "~/components/mailboxes/mailbox-fields";
import {
  type MailboxStatus,
  MailboxStatusBadge,
  type MailboxTest,
  PROVIDER_LABEL,
  TestResult,
  UsageBar,
} from "~/components/mailboxes/status";
import { timeZoneNames } from "~/components/time-zones";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { ConfirmDialog } from "~/components/ui/dialog";
import { Notice, type NoticeMessage } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { RelativeTime } from "~/components/ui/time";
import { envContext, scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { deleteMailbox, getMailbox, testMailbox, updateMailbox } from "../../../workers/mailboxes/service.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/detail";
import { mailboxUsage, SettingsForm, StatusForm } from "./forms.server";

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: `${loaderData?.mailbox.email ?? "Mailbox"} · Mailboxes · PenguinMails` },
];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const mailbox = await orHttp(getMailbox(scope, params.mailboxId));
  const [workspaces, usage] = await Promise.all([orHttp(listWorkspaces(scope)), mailboxUsage(context.get(envContext), [mailbox])]);
  return {
    mailbox,
    usage: usage[mailbox.id] ?? null,
    workspace: workspaces.find((w) => w.id === mailbox.workspaceId)?.name ?? null,
    zones: timeZoneNames(),
    canWrite: can(scope, "campaigns:write"),
  };
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} title="Mailbox" back={{ to: "/mailboxes", label: "Back to mailboxes" }} />;
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  const id = params.mailboxId;
  switch (form.get("intent")) {
    case "save":
      return handleForm(form, SettingsForm, (input) => updateMailbox(scope, id, input));
    case "test":
      return handleForm(form, z.object({}), () => testMailbox(scope, id));
    case "status":
      return handleForm(form, StatusForm, ({ status }) => updateMailbox(scope, id, { status }));
    case "delete":
      return handleForm(form, z.object({ email: z.string().max(254).optional() }), async ({ email }) => {
        await deleteMailbox(scope, id);
        throw redirect(`/mailboxes?${new URLSearchParams({ deleted: email ?? "" })}`);
      });
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

type Mailbox = Route.ComponentProps["loaderData"]["mailbox"];

export default function MailboxDetail({ loaderData }: Route.ComponentProps) {
  const { mailbox: m, usage, workspace, zones, canWrite } = loaderData;
  const [notice, setNotice] = useState<NoticeMessage>(null);
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/mailboxes" className="text-brand-700 hover:underline">
          ← Mailboxes
        </Link>
      </nav>
      <PageHeader
        title={m.email}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <MailboxStatusBadge status={m.status as MailboxStatus} />
            <span>
              {m.fromName} · {PROVIDER_LABEL[m.provider] ?? m.provider}
              {workspace ? ` · in ${workspace}` : ""}
            </span>
          </span>
        }
        action={canWrite ? <HeaderActions m={m} onNotice={(text) => setNotice({ text })} /> : null}
      />
      <Notice notice={notice} />
      {m.status === "error" ? (
        <Alert tone="error" title="This mailbox is not sending">
          {m.statusReason ?? "The last attempt failed."} Fix the settings below and run the connection test; a passing test puts it back to
          work.
        </Alert>
      ) : m.status === "paused" ? (
        <Alert tone="warning" title="Paused">
          Campaigns skip this mailbox until you resume it; their other mailboxes keep sending.
        </Alert>
      ) : null}
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <SettingsCard m={m} zones={zones} canWrite={canWrite} onSaved={() => setNotice({ text: "Settings saved." })} />
        <div className="flex flex-col gap-6">
          <ConnectionCard m={m} canWrite={canWrite} />
          <Card>
            <CardHeader title="Today" description={`Counted from midnight in ${m.timezone}.`} />
            <CardBody className="flex flex-col gap-3">
              <UsageBar sent={usage?.sentToday ?? null} limit={m.dailyLimit} />
              <dl className="grid grid-cols-2 gap-2 text-sm">
                <dt className="text-slate-500">Minimum gap</dt>
                <dd className="text-right text-slate-800">{m.minGapSeconds} s</dd>
                <dt className="text-slate-500">Last sent</dt>
                <dd className="text-right text-slate-800">{usage?.lastSentAt ? <RelativeTime value={usage.lastSentAt} /> : "Not yet"}</dd>
              </dl>
            </CardBody>
          </Card>
        </div>
      </div>
    </div>
  );
}

function HeaderActions({ m, onNotice }: { m: Mailbox; onNotice: (text: string) => void }) {
  const paused = m.status === "paused";
  const f = useActionForm({ onSuccess: () => onNotice(paused ? "Mailbox resumed." : "Mailbox paused: campaigns skip it for now.") });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <f.Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="status" />
        <input type="hidden" name="status" value={paused ? "active" : "paused"} />
        <Button type="submit" variant="secondary" busy={f.busy}>
          {paused ? "Resume" : "Pause"}
        </Button>
      </f.Form>
      <ConfirmDialog
        trigger={
          <Button variant="ghost" className="text-red-700 hover:bg-red-50">
            Delete
          </Button>
        }
        title={`Disconnect ${m.email}?`}
        description="Campaigns stop sending from it; sends already handed to the server are not affected. The stored password is deleted. This cannot be undone."
        intent="delete"
        fields={{ email: m.email }}
        confirmLabel="Disconnect mailbox"
      />
      {f.formError ? (
        <p role="alert" className="w-full text-sm text-red-700">
          {f.formError}
        </p>
      ) : null}
    </div>
  );
}

function SettingsCard({ m, zones, canWrite, onSaved }: { m: Mailbox; zones: readonly string[]; canWrite: boolean; onSaved: () => void }) {
  const f = useActionForm({
    onSuccess: () => {
      // Typed passwords are saved; clear them so a second save does not resend them.
      for (const name of ["smtpPassword", "imapPassword"]) {
        const el = f.formRef.current?.elements.namedItem(name);
        if (el instanceof HTMLInputElement) el.value = "";
      }
      onSaved();
    },
  });
  useFocusFirstInvalid(f.formRef, f.data && !f.data.ok ? f.data : null);
  const initial: MailboxFormValues = {
    fromName: m.fromName,
    signature: m.signature ?? "",
    smtpHost: m.smtpHost,
    smtpPort: String(m.smtpPort),
    smtpSecurity: m.smtpSecurity,
    smtpUsername: m.smtpUsername,
    imapHost: m.imapHost ?? "",
    imapPort: m.imapPort ? String(m.imapPort) : "993",
    imapUsername: "",
    dailyLimit: String(m.dailyLimit),
    minGapSeconds: String(m.minGapSeconds),
    timezone: m.timezone,
  };
  return (
    <Card>
      <CardHeader title="Settings" description="Changing the host, port or password? Run the connection test afterwards." />
      <CardBody>
        <f.Form method="post" ref={f.formRef} className="flex flex-col gap-5" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="save" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          <fieldset disabled={!canWrite} className="contents">
            <MailboxFields mode="edit" initial={initial} fieldError={f.fieldError} zones={zones} />
          </fieldset>
          {canWrite ? (
            <div className="flex justify-end border-t border-slate-100 pt-4">
              <Button type="submit" busy={f.busy}>
                Save settings
              </Button>
            </div>
          ) : (
            <p className="text-sm text-slate-500">Only workspace admins change mailbox settings.</p>
          )}
        </f.Form>
      </CardBody>
    </Card>
  );
}

function ConnectionCard({ m, canWrite }: { m: Mailbox; canWrite: boolean }) {
  const f = useActionForm();
  const test = m.lastTest as MailboxTest | null;
  return (
    <Card>
      <CardHeader title="Connection" description={`${m.smtpHost}:${m.smtpPort} · ${m.smtpSecurity.toUpperCase()}`} />
      <CardBody className="flex flex-col gap-4">
        {/* Announces the new result once the test has run and the page has reloaded it. */}
        <div aria-live="polite">
          {test ? (
            <TestResult test={test} />
          ) : (
            <p className="text-sm text-slate-600">Not tested yet. The test connects, starts encryption and signs in; it sends nothing.</p>
          )}
        </div>
        {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
        {canWrite ? (
          <f.Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="test" />
            <Button type="submit" variant="secondary" busy={f.busy} className="w-full">
              {f.busy ? "Testing…" : "Test connection"}
            </Button>
          </f.Form>
        ) : null}
      </CardBody>
    </Card>
  );
}
