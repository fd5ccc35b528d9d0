import type * as React from "react";
import { useRef, useState } from "react";
import { data, Link, useNavigation } from "react-router";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { useFocusFirstInvalid } from "~/components/mailboxes/focus-invalid";
import { MailboxFields, NEW_MAILBOX } from "~/components/mailboxes/mailbox-fields";
import {
  LastTestSummary,
  type MailboxStatus,
  MailboxStatusBadge,
  type MailboxTest,
  PROVIDER_LABEL,
  TestResult,
  UsageBar,
} from "~/components/mailboxes/status";
import { timeZoneNames } from "~/components/time-zones";
import { Alert, EmptyState, NoOrganization } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Dialog } from "~/components/ui/dialog";
import { PageHeader } from "~/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { NoWorkspace, WorkspaceFilter } from "~/components/workspace-scope";
import { envContext, scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { createMailbox, listMailboxes, testMailbox } from "../../../workers/mailboxes/service.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/index";
import { ConnectForm, mailboxUsage } from "./forms.server";

export const meta: Route.MetaFunction = () => [{ title: "Mailboxes · PenguinMails" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  const sp = new URL(request.url).searchParams;
  const deleted = sp.get("deleted");
  if (!session.tenant)
    return { tenant: false as const, workspaces: [], mailboxes: [], usage: {}, zones: [], filter: null, canWrite: false, deleted };
  const workspaces = await orHttp(listWorkspaces(scope));
  // A stale or foreign workspace id in the URL just means "all workspaces".
  const filter = workspaces.find((w) => w.id === sp.get("workspace"))?.id ?? null;
  const mailboxes = await orHttp(listMailboxes(scope, filter ?? undefined));
  return {
    tenant: true as const,
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
    mailboxes,
    usage: await mailboxUsage(context.get(envContext), mailboxes),
    zones: timeZoneNames(),
    filter,
    canWrite: can(scope, "campaigns:write"),
    deleted,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  if (form.get("intent") !== "connect") throw data("Unknown action.", { status: 400 });
  return handleForm(form, ConnectForm, async (input) => {
    const box = await createMailbox(scope, input);
    // Test right away, so a typo in the host or password shows now rather than at the first send.
    try {
      return await testMailbox(scope, box.id);
    } catch (err) {
      scope.log.warn("mailboxes.connect_test_failed", {
        requestId: scope.requestId,
        error: err instanceof Error ? err.message : String(err),
      });
      return box;
    }
  });
}

type Loaded = Route.ComponentProps["loaderData"];
type Mailbox = Loaded["mailboxes"][number];

export default function Mailboxes({ loaderData }: Route.ComponentProps) {
  const { tenant, workspaces, mailboxes, usage, zones, filter, canWrite, deleted } = loaderData;
  const nav = useNavigation();
  const filtering = nav.state === "loading" && nav.location.pathname === "/mailboxes";
  const wsName = new Map(workspaces.map((w) => [w.id, w.name]));
  const showWorkspace = !filter && workspaces.length > 1;
  // One dialog for the page, outside the branches below: creating the first mailbox swaps the
  // intro for the table, and the dialog (showing the test result) must survive that.
  const [connectOpen, setConnectOpen] = useState(false);
  const opener = useRef<HTMLButtonElement | null>(null);
  const connect =
    canWrite && workspaces.length ? (
      <Button
        onClick={(e) => {
          opener.current = e.currentTarget;
          setConnectOpen(true);
        }}
      >
        Connect mailbox
      </Button>
    ) : null;

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Mailboxes"
        description="The inboxes your campaigns send from. Each has its own daily limit and gap between sends; campaigns rotate across them."
        action={mailboxes.length || filter ? connect : null}
      />
      {deleted !== null ? (
        <Alert tone="success">{deleted ? `Mailbox ${deleted} was disconnected.` : "The mailbox was disconnected."}</Alert>
      ) : null}
      {!tenant ? (
        <NoOrganization />
      ) : workspaces.length === 0 ? (
        <NoWorkspace>
          Mailboxes belong to a workspace (one per client or brand). Create one first, or ask an admin to add you to one.
        </NoWorkspace>
      ) : mailboxes.length === 0 && !filter ? (
        <Intro action={connect} />
      ) : (
        <>
          {workspaces.length > 1 ? (
            <WorkspaceFilter label="Filter mailboxes" workspaces={workspaces} filter={filter} busy={filtering} />
          ) : null}
          <Card>
            <CardHeader
              title={`${mailboxes.length} ${mailboxes.length === 1 ? "mailbox" : "mailboxes"}`}
              description="Usage resets at midnight in each mailbox's time zone."
            />
            <CardBody className="py-2">
              {mailboxes.length === 0 ? (
                <EmptyState title="No mailboxes in this workspace">Connect one, or pick another workspace.</EmptyState>
              ) : (
                <Table caption="Mailboxes">
                  <THead>
                    <TR>
                      <TH>Address</TH>
                      <TH>From name</TH>
                      {showWorkspace ? <TH>Workspace</TH> : null}
                      <TH>Status</TH>
                      <TH>Today</TH>
                      <TH>Last test</TH>
                    </TR>
                  </THead>
                  <TBody>
                    {mailboxes.map((m) => (
                      <Row
                        key={m.id}
                        m={m}
                        usage={usage[m.id] ?? null}
                        workspace={showWorkspace ? (wsName.get(m.workspaceId) ?? "—") : null}
                      />
                    ))}
                  </TBody>
                </Table>
              )}
            </CardBody>
          </Card>
        </>
      )}
      {canWrite && workspaces.length ? (
        <Dialog
          open={connectOpen}
          onOpenChange={setConnectOpen}
          returnFocusTo={opener}
          title="Connect a mailbox"
          description="Bring-your-own SMTP. We connect and sign in right away to check the settings."
          className="max-w-2xl"
        >
          {/* Unmounted on close: each opening starts with a fresh form. */}
          <ConnectMailboxForm workspaces={workspaces} defaultWorkspace={filter} zones={zones} onClose={() => setConnectOpen(false)} />
        </Dialog>
      ) : null}
    </div>
  );
}

function Row({ m, usage, workspace }: { m: Mailbox; usage: { sentToday: number } | null; workspace: string | null }) {
  return (
    <TR className="hover:bg-slate-50">
      <TD>
        <Link to={`/mailboxes/${m.id}`} className="break-all font-medium text-slate-900 hover:text-brand-700 hover:underline">
          {m.email}
        </Link>
        <p className="mt-0.5 flex items-center gap-1.5 text-xs text-slate-500">
          <Badge tone={m.provider === "mailu" ? "brand" : "neutral"}>{PROVIDER_LABEL[m.provider] ?? m.provider}</Badge>
          {m.smtpHost}
        </p>
      </TD>
      <TD className="text-slate-700">{m.fromName}</TD>
      {workspace !== null ? <TD className="text-slate-600">{workspace}</TD> : null}
      <TD>
        <MailboxStatusBadge status={m.status as MailboxStatus} />
        {m.status === "error" && m.statusReason ? <p className="mt-1 max-w-56 break-words text-xs text-red-700">{m.statusReason}</p> : null}
      </TD>
      <TD>
        <UsageBar sent={usage?.sentToday ?? null} limit={m.dailyLimit} />
      </TD>
      <TD>
        <LastTestSummary test={m.lastTest as MailboxTest | null} />
      </TD>
    </TR>
  );
}

function Intro({ action }: { action: React.ReactNode }) {
  return (
    <Card>
      <CardBody className="flex flex-col gap-5 py-8 sm:px-8">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">Connect your first mailbox</h2>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            Bring your own inbox: any provider that offers SMTP (Google Workspace, Microsoft 365, Zoho, your own server). We test the
            connection as soon as you add it, store the password encrypted, and keep every campaign within the mailbox's daily limit.
          </p>
        </div>
        <ul className="grid gap-3 sm:grid-cols-3">
          <li className="rounded-lg border border-slate-200 p-4">
            <p className="text-sm font-medium text-slate-900">Bring your own SMTP</p>
            <p className="mt-1 text-sm text-slate-600">Host, port and an app password from your provider. STARTTLS on 587 or TLS on 465.</p>
          </li>
          <li className="rounded-lg border border-slate-200 p-4">
            <p className="text-sm font-medium text-slate-900">Safe limits</p>
            <p className="mt-1 text-sm text-slate-600">
              50 e-mails a day and two minutes between sends to start; raise it as the inbox warms up.
            </p>
          </li>
          <li className="rounded-lg border border-slate-200 p-4">
            <p className="text-sm font-medium text-slate-900">Hosted mailboxes</p>
            <p className="mt-1 text-sm text-slate-600">
              Mailboxes on PenguinMails infrastructure (our MailU servers) come with it and show up here on their own.
            </p>
          </li>
        </ul>
        {action ? <div>{action}</div> : <p className="text-sm text-slate-500">Ask an admin of this workspace to connect a mailbox.</p>}
      </CardBody>
    </Card>
  );
}

function ConnectMailboxForm({
  workspaces,
  defaultWorkspace,
  zones,
  onClose,
}: {
  workspaces: readonly { id: string; name: string }[];
  defaultWorkspace: string | null;
  zones: readonly string[];
  onClose: () => void;
}) {
  const f = useActionForm<Mailbox>();
  useFocusFirstInvalid(f.formRef, f.data && !f.data.ok ? f.data : null);
  const created = f.succeeded?.result;
  if (created) {
    const test = created.lastTest as MailboxTest | null;
    return (
      <div className="flex flex-col gap-4">
        <p className="text-sm text-slate-700">
          <span className="font-medium text-slate-900">{created.email}</span> is connected
          {test?.ok ? " and ready to send." : ", but the connection test did not pass. Fix the settings on the mailbox page."}
        </p>
        {test ? <TestResult test={test} /> : <Alert tone="warning">The connection test could not run. Try it from the mailbox page.</Alert>}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onClose}>
            Done
          </Button>
          <Button asChild>
            <Link to={`/mailboxes/${created.id}`}>{test?.ok ? "Open mailbox" : "Fix settings"}</Link>
          </Button>
        </div>
      </div>
    );
  }
  return (
    <f.Form method="post" ref={f.formRef} className="flex flex-col gap-5" noValidate>
      <CsrfInput />
      <input type="hidden" name="intent" value="connect" />
      {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
      <MailboxFields
        mode="create"
        initial={{ ...NEW_MAILBOX, workspaceId: defaultWorkspace ?? workspaces[0]?.id ?? "" }}
        fieldError={f.fieldError}
        zones={zones}
        workspaces={workspaces}
      />
      <div className="flex items-center justify-end gap-2 border-t border-slate-100 pt-4">
        <Button type="button" variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" busy={f.busy}>
          {f.busy ? "Connecting and testing…" : "Connect and test"}
        </Button>
      </div>
    </f.Form>
  );
}
