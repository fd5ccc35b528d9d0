import { useEffect, useRef, useState } from "react";
import { data } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { Alert, EmptyState } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Checkbox } from "~/components/ui/checkbox";
import { CopyButton } from "~/components/ui/copy-button";
import { ConfirmDialog } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { Notice, type NoticeMessage } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { DateTime, RelativeTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { ApiKeyScope, CreateApiKeyInput } from "../../../workers/api-keys/schemas.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "../../../workers/api-keys/service.ts";
import { API_KEY_SCOPES, can } from "../../../workers/auth/permissions.ts";
import type { Route } from "./+types/api-keys";

export const meta: Route.MetaFunction = () => [{ title: "API keys · Settings · PenguinMails" }];

/** One checkbox per scope (`scope.<name>`), folded into the API's CreateApiKeyInput. */
const CreateForm = z.preprocess(
  (raw) => {
    const r = raw as Record<string, string | undefined>;
    return {
      name: r.name ?? "",
      scopes: Object.keys(r)
        .filter((k) => k.startsWith("scope."))
        .map((k) => k.slice(6)),
    };
  },
  CreateApiKeyInput.extend({
    name: z.string().trim().min(1, "Give the key a name").max(80, "Use at most 80 characters"),
    scopes: z.array(ApiKeyScope).min(1, "Pick at least one scope").max(API_KEY_SCOPES.length),
  }),
);

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  if (!session.tenant || !can(scope, "api_keys:read")) return { allowed: false as const, keys: [], canWrite: false };
  return { allowed: true as const, keys: await orHttp(listApiKeys(scope)), canWrite: can(scope, "api_keys:write") };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  switch (form.get("intent")) {
    case "create":
      return handleForm(form, CreateForm, (input) => createApiKey(scope, input));
    case "revoke":
      return handleForm(form, z.object({ id: z.string().min(1).max(64) }), ({ id }) => revokeApiKey(scope, id));
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

const SCOPE_HELP: Record<(typeof API_KEY_SCOPES)[number], string> = {
  "tenant:read": "Read the organization's name, plan and status",
  "members:read": "List team members",
  "workspaces:read": "List workspaces",
  "workspaces:write": "Create, rename and delete workspaces",
  "audit:read": "Read the audit log",
  "infra:read": "Read nodes, sending domains, DNS records and provisioning runs",
  "infra:write": "Add domains, apply and verify DNS, provision nodes, create hosted mailboxes",
  "campaigns:read": "Read campaigns and their stats",
  "campaigns:write": "Create, edit, start and pause campaigns",
  "leads:read": "Read leads and lists",
  "leads:write": "Import, edit and delete leads",
  send: "Send e-mail through your mailboxes",
};

type ApiKey = Route.ComponentProps["loaderData"]["keys"][number];

export default function ApiKeys({ loaderData }: Route.ComponentProps) {
  const { allowed, keys, canWrite } = loaderData;
  const [notice, setNotice] = useState<NoticeMessage>(null);
  const say = (text: string) => setNotice({ text });
  const active = keys.filter((k) => !k.revokedAt).length;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="API keys"
        description="Keys let your own scripts and tools call the PenguinMails API on behalf of this organization. Give each key only the scopes it needs."
      />
      {!allowed ? (
        <Alert tone="info" title="Owners and admins only">
          API keys can act for the whole organization, so only owners and admins can see and manage them. Ask one of them if you need a key.
        </Alert>
      ) : (
        <>
          <Notice notice={notice} />
          {canWrite ? <CreateCard onCreated={() => setNotice(null)} /> : null}
          <Card>
            <CardHeader title={`Keys (${active} active)`} description="Revoked keys stay listed so the audit trail keeps its context." />
            <CardBody className={keys.length ? "py-2" : undefined}>
              {keys.length === 0 ? (
                <EmptyState title="No API keys yet">Create a key above to start using the API.</EmptyState>
              ) : (
                <Table caption="API keys">
                  <THead>
                    <TR>
                      <TH>Name</TH>
                      <TH>Scopes</TH>
                      <TH>Created</TH>
                      <TH>Last used</TH>
                      {canWrite ? (
                        <TH>
                          <span className="sr-only">Actions</span>
                        </TH>
                      ) : null}
                    </TR>
                  </THead>
                  <TBody>
                    {keys.map((k) => (
                      <KeyRow key={k.id} apiKey={k} canWrite={canWrite} onNotice={say} />
                    ))}
                  </TBody>
                </Table>
              )}
            </CardBody>
          </Card>
        </>
      )}
    </div>
  );
}

function KeyRow({ apiKey: k, canWrite, onNotice }: { apiKey: ApiKey; canWrite: boolean; onNotice: (m: string) => void }) {
  const revoked = k.revokedAt !== null;
  return (
    <TR className={revoked ? "text-slate-500" : undefined}>
      <TD>
        <p className={revoked ? "font-medium line-through" : "font-medium text-slate-900"}>{k.name}</p>
        <p className="font-mono text-xs text-slate-500">{k.prefix}…</p>
        {revoked ? (
          <Badge tone="danger" className="mt-1">
            Revoked <DateTime value={k.revokedAt!} withTime={false} className="ml-1" />
          </Badge>
        ) : null}
      </TD>
      <TD>
        <ul className="flex max-w-xs flex-wrap gap-1" aria-label="Scopes">
          {k.scopes.map((s) => (
            <li key={s}>
              <Badge tone={revoked ? "neutral" : "brand"} className="font-mono">
                {s}
              </Badge>
            </li>
          ))}
        </ul>
      </TD>
      <TD className="whitespace-nowrap">
        <DateTime value={k.createdAt} withTime={false} />
      </TD>
      <TD className="whitespace-nowrap">{k.lastUsedAt ? <RelativeTime value={k.lastUsedAt} /> : "Never"}</TD>
      {canWrite ? (
        <TD className="text-right">
          {revoked ? null : (
            <ConfirmDialog
              trigger={
                <Button variant="ghost" size="sm" className="text-red-700 hover:bg-red-50" aria-label={`Revoke ${k.name}`}>
                  Revoke
                </Button>
              }
              title={`Revoke “${k.name}”?`}
              description="Requests using this key fail from now on. Anything still using it stops working; this cannot be undone."
              intent="revoke"
              fields={{ id: k.id }}
              confirmLabel="Revoke key"
              onSuccess={() => onNotice(`The key “${k.name}” was revoked.`)}
            />
          )}
        </TD>
      ) : null}
    </TR>
  );
}

function CreateCard({ onCreated }: { onCreated: () => void }) {
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const f = useActionForm<ApiKey & { key: string }>({
    reset: true,
    onSuccess: (d) => {
      if (d.result) setShown({ name: d.result.name, key: d.result.key });
      onCreated();
    },
  });
  return (
    <Card>
      <CardHeader title="Create a key" />
      <CardBody className="flex flex-col gap-4">
        {shown ? <NewKey name={shown.name} value={shown.key} onDone={() => setShown(null)} /> : null}
        <f.Form method="post" ref={f.formRef} className="flex flex-col gap-4" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          <Field
            label="Name"
            name="name"
            required
            maxLength={80}
            placeholder="CRM sync"
            hint="Say what uses it, so you know what breaks if you revoke it."
            error={f.fieldError("name")}
            className="max-w-md"
          />
          <fieldset className="flex flex-col gap-2" aria-describedby={f.fieldError("scopes") ? "scopes-error" : undefined}>
            <legend className="text-sm font-medium text-slate-800">Scopes</legend>
            <div className="grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-2">
              {API_KEY_SCOPES.map((s) => (
                <Checkbox key={s} name={`scope.${s}`} label={<span className="font-mono">{s}</span>} description={SCOPE_HELP[s]} />
              ))}
            </div>
            {f.fieldError("scopes") ? (
              <p id="scopes-error" className="text-xs font-medium text-red-600">
                {f.fieldError("scopes")}
              </p>
            ) : null}
          </fieldset>
          <div>
            <Button type="submit" busy={f.busy}>
              Create key
            </Button>
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}

/** The full key, shown once right after creation; the server only keeps its hash. */
function NewKey({ name, value, onDone }: { name: string; value: string; onDone: () => void }) {
  const ref = useRef<HTMLElement>(null);
  // Move focus here so keyboard and screen-reader users land on the key (and its warning) at once.
  useEffect(() => ref.current?.focus(), []);
  return (
    <section
      ref={ref}
      tabIndex={-1}
      aria-labelledby="new-key-title"
      className="rounded-lg border-2 border-amber-300 bg-amber-50 p-4 focus:outline-none focus-visible:outline-2"
    >
      <h3 id="new-key-title" className="font-semibold text-amber-900">
        Your new key “{name}”
      </h3>
      <p className="mt-1 text-sm text-amber-900">
        Copy it now and keep it somewhere safe. This is the only time it is shown; if you lose it, revoke it and create a new one.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 select-all break-all rounded-md border border-amber-200 bg-white px-3 py-2 font-mono text-sm text-slate-900">
          {value}
        </code>
        <CopyButton value={value} label="Copy key" />
      </div>
      <div className="mt-3">
        <Button type="button" variant="secondary" size="sm" onClick={onDone}>
          I have copied it, hide the key
        </Button>
      </div>
    </section>
  );
}
