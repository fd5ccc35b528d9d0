import { Link } from "react-router";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { type MailboxStatus, MailboxStatusBadge } from "~/components/mailboxes/status";
import { Alert, EmptyState } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Field } from "~/components/ui/field";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { TextareaField } from "~/components/ui/textarea";
import type { HostedResult } from "../../../workers/infra/hosted-mailboxes.ts";

type Box = { id: string; email: string; fromName: string; status: string; dailyLimit: number };

/** A domain's hosted mailboxes and the bulk "create mailboxes" form (intent=mailboxes on the domain route). */
export function HostedMailboxesCard({ domain, mailboxes, canWrite }: { domain: string; mailboxes: Box[]; canWrite: boolean }) {
  return (
    <Card>
      <CardHeader
        title={`Hosted mailboxes (${mailboxes.length})`}
        description={`Mailboxes on ${domain}, created on its node. Replies are forwarded to your PenguinMails inbox; passwords are generated and stored encrypted.`}
      />
      <CardBody className="flex flex-col gap-6">
        {mailboxes.length === 0 ? (
          <EmptyState title="No mailboxes on this domain yet">
            {canWrite ? "Create some below; they are ready to send in seconds." : "Ask an admin to create some."}
          </EmptyState>
        ) : (
          <Table caption={`Mailboxes on ${domain}`}>
            <THead>
              <TR>
                <TH>Address</TH>
                <TH>From name</TH>
                <TH>Status</TH>
                <TH>Daily limit</TH>
              </TR>
            </THead>
            <TBody>
              {mailboxes.map((m) => (
                <TR key={m.id} className="hover:bg-slate-50">
                  <TD>
                    <Link to={`/mailboxes/${m.id}`} className="break-all font-medium text-slate-900 hover:text-brand-700 hover:underline">
                      {m.email}
                    </Link>
                  </TD>
                  <TD className="text-slate-700">{m.fromName}</TD>
                  <TD>
                    <MailboxStatusBadge status={m.status as MailboxStatus} />
                  </TD>
                  <TD className="tabular-nums text-slate-700">{m.dailyLimit} a day</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
        {canWrite ? <CreateForm domain={domain} /> : null}
      </CardBody>
    </Card>
  );
}

const RESULT = {
  created: { icon: "✓", text: "Created", className: "text-emerald-700" },
  exists: { icon: "•", text: "Already exists", className: "text-slate-600" },
  failed: { icon: "✕", text: "Failed", className: "text-red-700" },
} as const;

function CreateForm({ domain }: { domain: string }) {
  const f = useActionForm<{ results: HostedResult[] }>({
    // Keep the list when something failed, so it can be retried as is.
    onSuccess: (d) => {
      if (!d.result?.results.some((r) => r.status === "failed")) f.formRef.current?.reset();
    },
  });
  const results = f.succeeded?.result?.results ?? null;
  const failed = results?.filter((r) => r.status === "failed").length ?? 0;
  return (
    <div className="flex flex-col gap-4 border-t border-slate-100 pt-5">
      <h3 className="text-sm font-semibold text-slate-900">Create mailboxes</h3>
      <f.Form method="post" ref={f.formRef} className="flex max-w-2xl flex-col gap-4" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="mailboxes" />
        {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
        <TextareaField
          label="Mailboxes"
          name="mailboxes"
          rows={5}
          required
          spellCheck={false}
          autoCapitalize="off"
          placeholder={"jane, Jane Doe\nsales, Acme Sales"}
          hint={`One per line: the part before @${domain}, a comma, then the From name. Up to 50 at a time.`}
          error={f.fieldError("mailboxes")}
        />
        <Field
          label="Daily sending limit per mailbox"
          name="dailyLimit"
          type="number"
          inputMode="numeric"
          min={10}
          max={500}
          step={1}
          defaultValue={50}
          className="max-w-56"
          hint="10–500. Start low (50) while the mailboxes warm up."
          error={f.fieldError("dailyLimit")}
        />
        <div>
          <Button type="submit" busy={f.busy}>
            {f.busy ? "Creating…" : "Create mailboxes"}
          </Button>
        </div>
      </f.Form>
      <div aria-live="polite">
        {results ? (
          <div className="flex flex-col gap-2">
            <Alert tone={failed ? "warning" : "success"}>
              {failed
                ? `${failed} of ${results.length} could not be created. Fix the cause and submit the same list again; existing ones are skipped.`
                : `Done: ${results.filter((r) => r.status === "created").length} created, ${results.filter((r) => r.status === "exists").length} already existed.`}
            </Alert>
            <ul className="flex flex-col gap-1 text-sm">
              {results.map((r) => (
                <li key={r.email} className="flex flex-wrap items-baseline gap-x-2">
                  <span className={RESULT[r.status].className}>
                    <span aria-hidden="true">{RESULT[r.status].icon} </span>
                    {RESULT[r.status].text}
                  </span>
                  {r.mailbox ? (
                    <Link to={`/mailboxes/${r.mailbox.id}`} className="font-medium text-slate-900 hover:underline">
                      {r.email}
                    </Link>
                  ) : (
                    <span className="font-medium text-slate-900">{r.email}</span>
                  )}
                  {r.error ? <span className="text-red-700">— {r.error}</span> : null}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </div>
  );
}
