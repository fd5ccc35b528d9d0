import { useState } from "react";
import { data } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { Alert, EmptyState, NoOrganization } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { ConfirmDialog, Dialog } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { Notice, type NoticeMessage } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { TextareaField } from "~/components/ui/textarea";
import { DateTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { CreateWorkspaceInput } from "../../../workers/tenants/schemas.ts";
import { createWorkspace, deleteWorkspace, listWorkspaces, updateWorkspace } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/workspaces";

export const meta: Route.MetaFunction = () => [{ title: "Workspaces · Settings · PenguinMails" }];

const Name = z.string().trim().min(1, "Enter a name").max(100, "Use at most 100 characters");
/** An empty slug field means "derive it from the name". */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const CreateForm = CreateWorkspaceInput.extend({ name: Name, slug: z.preprocess(blankToUndefined, CreateWorkspaceInput.shape.slug) });
const RenameForm = z.object({
  id: z.string().min(1).max(64),
  name: Name,
  slug: z.preprocess(blankToUndefined, CreateWorkspaceInput.shape.slug),
  // Blank leaves the address as it is: removing it would silently block every campaign's launch.
  postalAddress: z.preprocess(
    blankToUndefined,
    z.string().trim().min(10, "Enter the full postal address (street, city, postcode, country)").max(500).optional(),
  ),
});
const DeleteForm = z.object({ id: z.string().min(1).max(64), confirmName: z.string() });

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  if (!session.tenant) return { tenant: null, workspaces: [], canManage: false };
  return {
    tenant: session.tenant,
    workspaces: await orHttp(listWorkspaces(scope)),
    // Creating and deleting are for owners and admins (the verbs check this too).
    canManage: can(scope, "workspaces:write") && session.tenant.role !== "member",
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  switch (form.get("intent")) {
    case "create":
      return handleForm(form, CreateForm, (input) => createWorkspace(scope, input));
    case "rename":
      return handleForm(form, RenameForm, ({ id, ...input }) => updateWorkspace(scope, id, input));
    case "delete":
      return handleForm(form, DeleteForm, ({ id, confirmName }) => deleteWorkspace(scope, id, confirmName));
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

type Workspace = Route.ComponentProps["loaderData"]["workspaces"][number];

export default function Workspaces({ loaderData }: Route.ComponentProps) {
  const { tenant, workspaces, canManage } = loaderData;
  const [notice, setNotice] = useState<NoticeMessage>(null);
  const say = (text: string) => setNotice({ text });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Workspaces"
        description="One workspace per client or brand. Domains, mailboxes, leads and campaigns live inside a workspace, so clients never mix."
      />
      {!tenant ? (
        <NoOrganization />
      ) : (
        <>
          <Notice notice={notice} />
          <Card>
            <CardHeader
              title={`Your workspaces (${workspaces.length})`}
              description={
                !canManage
                  ? "You see the workspaces you were added to. Only owners and admins create, rename or delete workspaces."
                  : workspaces.length === 1
                    ? "An organization keeps at least one workspace, so the last one cannot be deleted."
                    : undefined
              }
            />
            <CardBody className={workspaces.length ? "py-2" : undefined}>
              {workspaces.length === 0 ? (
                <EmptyState title="No workspaces yet">
                  {canManage ? "Create your first workspace below." : "Ask an admin to add you to a workspace."}
                </EmptyState>
              ) : (
                <Table caption="Workspaces">
                  <THead>
                    <TR>
                      <TH>Name</TH>
                      <TH>Members</TH>
                      <TH>Created</TH>
                      {canManage ? (
                        <TH>
                          <span className="sr-only">Actions</span>
                        </TH>
                      ) : null}
                    </TR>
                  </THead>
                  <TBody>
                    {workspaces.map((w) => (
                      <TR key={w.id}>
                        <TD>
                          <p className="font-medium text-slate-900">{w.name}</p>
                          <p className="text-xs text-slate-500">/{w.slug}</p>
                          {w.postalAddress ? (
                            <p className="mt-0.5 text-xs text-slate-600">{w.postalAddress}</p>
                          ) : (
                            <p className="mt-0.5 text-xs font-medium text-amber-700">
                              No postal address yet — campaigns need one to launch.
                            </p>
                          )}
                        </TD>
                        <TD className="text-slate-600">
                          {w.members} {w.members === 1 ? "member" : "members"}
                        </TD>
                        <TD className="whitespace-nowrap text-slate-600">
                          <DateTime value={w.createdAt} withTime={false} />
                        </TD>
                        {canManage ? (
                          <TD>
                            <div className="flex justify-end gap-2">
                              <RenameDialog workspace={w} onNotice={say} />
                              <DeleteDialog workspace={w} onlyOne={workspaces.length <= 1} onNotice={say} />
                            </div>
                          </TD>
                        ) : null}
                      </TR>
                    ))}
                  </TBody>
                </Table>
              )}
            </CardBody>
          </Card>
          {canManage ? <CreateCard onCreated={() => setNotice(null)} /> : null}
        </>
      )}
    </div>
  );
}

function CreateCard({ onCreated }: { onCreated: () => void }) {
  const f = useActionForm<Workspace>({ reset: true, onSuccess: onCreated });
  return (
    <Card>
      <CardHeader title="Create a workspace" description="You become its admin. Invite teammates to it from the Team page." />
      <CardBody>
        <f.Form method="post" ref={f.formRef} className="flex max-w-xl flex-col gap-4" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          {f.succeeded?.result ? <Alert tone="success">Workspace “{f.succeeded.result.name}” created.</Alert> : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Name" name="name" required maxLength={100} placeholder="Acme Outreach" error={f.fieldError("name")} />
            <Field
              label="Slug (optional)"
              name="slug"
              maxLength={48}
              placeholder="acme-outreach"
              hint="Lower-case letters, digits and dashes. Left empty, it is made from the name."
              error={f.fieldError("slug")}
            />
          </div>
          <div>
            <Button type="submit" busy={f.busy}>
              Create workspace
            </Button>
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}

function RenameDialog({ workspace: w, onNotice }: { workspace: Workspace; onNotice: (m: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button variant="secondary" size="sm" aria-label={`Edit ${w.name}`}>
          Edit
        </Button>
      }
      title={`Edit ${w.name}`}
      description="Name, slug (the workspace's address) and the postal address added to its campaign mail."
    >
      <RenameWorkspaceForm
        workspace={w}
        onCancel={() => setOpen(false)}
        onDone={(name) => {
          setOpen(false);
          onNotice(`Workspace “${name}” saved.`);
        }}
      />
    </Dialog>
  );
}

function RenameWorkspaceForm({
  workspace: w,
  onCancel,
  onDone,
}: {
  workspace: Workspace;
  onCancel: () => void;
  onDone: (name: string) => void;
}) {
  const f = useActionForm<Workspace>({ onSuccess: (d) => onDone(d.result?.name ?? w.name) });
  return (
    <f.Form method="post" className="flex flex-col gap-4" noValidate>
      <CsrfInput />
      <input type="hidden" name="intent" value="rename" />
      <input type="hidden" name="id" value={w.id} />
      {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
      <Field label="Name" name="name" required maxLength={100} defaultValue={w.name} error={f.fieldError("name")} />
      <Field
        label="Slug"
        name="slug"
        maxLength={48}
        defaultValue={w.slug}
        hint="Lower-case letters, digits and dashes."
        error={f.fieldError("slug")}
      />
      <TextareaField
        label="Postal address"
        name="postalAddress"
        rows={3}
        maxLength={500}
        defaultValue={w.postalAddress ?? ""}
        hint="Your physical mailing address. CAN-SPAM requires it in every campaign message; we add it to the footer."
        error={f.fieldError("postalAddress")}
      />
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" busy={f.busy}>
          Save
        </Button>
      </div>
    </f.Form>
  );
}

function DeleteDialog({ workspace: w, onlyOne, onNotice }: { workspace: Workspace; onlyOne: boolean; onNotice: (m: string) => void }) {
  if (onlyOne) {
    return (
      <Button
        variant="ghost"
        size="sm"
        disabled
        className="text-slate-400"
        title="An organization keeps at least one workspace."
        aria-label={`Delete ${w.name} (not possible: an organization keeps at least one workspace)`}
      >
        Delete
      </Button>
    );
  }
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm" className="text-red-700 hover:bg-red-50" aria-label={`Delete ${w.name}`}>
          Delete
        </Button>
      }
      title={`Delete ${w.name}?`}
      description={
        <>
          This permanently deletes the workspace with its domains, mailboxes, leads and campaigns. It cannot be undone. Type{" "}
          <strong className="font-semibold text-slate-900">{w.name}</strong> to confirm.
        </>
      }
      intent="delete"
      fields={{ id: w.id }}
      typeToConfirm={{ name: "confirmName", label: "Workspace name", expected: w.name }}
      confirmLabel="Delete workspace"
      onSuccess={() => onNotice(`Workspace “${w.name}” was deleted.`)}
    />
  );
}
