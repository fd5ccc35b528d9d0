import { useRef, useState } from "react";
import { data } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { Alert, EmptyState, NoOrganization } from "~/components/ui/alert";
import { Badge, type BadgeTone, RoleBadge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Checkbox } from "~/components/ui/checkbox";
import { ConfirmDialog } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { RowMenu } from "~/components/ui/menu";
import { Notice, type NoticeMessage } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { Select, SelectField } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { TextareaField } from "~/components/ui/textarea";
import { DateTime, RelativeTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm, orHttp } from "~/lib/forms.server";
import { requireSession } from "~/lib/session.server";
import { can } from "../../../workers/auth/permissions.ts";
import { createInvitation, listInvitations, revokeInvitation } from "../../../workers/tenants/invitations.ts";
import { changeMemberRole, listMembers, removeMember, transferOwnership } from "../../../workers/tenants/members.ts";
import { ChangeRoleInput, CreateInvitationInput } from "../../../workers/tenants/schemas.ts";
import { listWorkspaces } from "../../../workers/tenants/workspaces.ts";
import type { Route } from "./+types/team";

export const meta: Route.MetaFunction = () => [{ title: "Team · Settings · PenguinMails" }];

const UserIdForm = z.object({ userId: z.string().min(1).max(64) });
const RoleForm = UserIdForm.extend(ChangeRoleInput.shape);

/**
 * The invite form posts one checkbox per workspace (`ws.<id>`) and one role select per workspace
 * (`wsRole.<id>`); this folds them into the API's CreateInvitationInput.
 */
const InviteForm = z.preprocess((raw) => {
  const r = raw as Record<string, string | undefined>;
  const workspaces = Object.keys(r)
    .filter((k) => k.startsWith("ws."))
    .map((k) => ({ id: k.slice(3), role: r[`wsRole.${k.slice(3)}`] ?? "member" }));
  return { email: r.email ?? "", role: r.role, note: r.note?.trim() ? r.note : undefined, workspaces };
}, CreateInvitationInput);

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  if (!session.tenant) return { tenant: null } as const;
  const members = await orHttp(listMembers(scope));
  const invitations = await orHttp(listInvitations(scope));
  const workspaces = await orHttp(listWorkspaces(scope));
  return {
    tenant: session.tenant,
    me: session.actor.userId,
    canManage: can(scope, "members:write"),
    members,
    invitations,
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  switch (form.get("intent")) {
    case "role":
      return handleForm(form, RoleForm, ({ userId, role }) => changeMemberRole(scope, userId, role));
    case "remove":
      return handleForm(form, UserIdForm, ({ userId }) => removeMember(scope, userId));
    case "transfer":
      return handleForm(form, UserIdForm, ({ userId }) => transferOwnership(scope, userId));
    case "invite":
      return handleForm(form, InviteForm, (input) => createInvitation(scope, input));
    case "revoke-invite":
      return handleForm(form, z.object({ id: z.string().min(1).max(64) }), ({ id }) => revokeInvitation(scope, id));
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

type Data = Extract<Route.ComponentProps["loaderData"], { me: string }>;
type Member = Data["members"][number];
type Invitation = Data["invitations"][number];

const ROLE_OPTIONS = [
  { value: "member", label: "Member" },
  { value: "admin", label: "Admin" },
] as const;
const WORKSPACE_ROLE_OPTIONS = [
  { value: "admin", label: "Admin" },
  { value: "member", label: "Member" },
  { value: "viewer", label: "Viewer" },
] as const;

export default function Team({ loaderData }: Route.ComponentProps) {
  const [notice, setNotice] = useState<NoticeMessage>(null);
  const say = (text: string) => setNotice({ text });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Team"
        description="People in your organization and what they may do. Owners and admins manage the team; members work in the workspaces they are added to."
      />
      {loaderData.tenant === null ? (
        <NoOrganization />
      ) : (
        <>
          <Notice notice={notice} />
          <MembersCard data={loaderData} onNotice={say} />
          {loaderData.canManage ? <InviteCard workspaces={loaderData.workspaces} /> : null}
          <InvitationsCard invitations={loaderData.invitations} canManage={loaderData.canManage} onNotice={say} />
        </>
      )}
    </div>
  );
}

function MembersCard({ data, onNotice }: { data: Data; onNotice: (m: string) => void }) {
  const { members, canManage, me, tenant } = data;
  const isOwner = tenant.role === "owner";
  return (
    <Card>
      <CardHeader
        title={`Members (${members.length})`}
        description={canManage ? undefined : "Only owners and admins can change roles or remove people."}
      />
      <CardBody className="py-2">
        <Table caption="Members of the organization">
          <THead>
            <TR>
              <TH>Member</TH>
              <TH>Role</TH>
              <TH>Workspaces</TH>
              <TH>Last active</TH>
              {canManage ? (
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              ) : null}
            </TR>
          </THead>
          <TBody>
            {members.map((m) => (
              <MemberRow key={m.userId} member={m} isMe={m.userId === me} canManage={canManage} isOwner={isOwner} onNotice={onNotice} />
            ))}
          </TBody>
        </Table>
      </CardBody>
    </Card>
  );
}

function MemberRow({
  member: m,
  isMe,
  canManage,
  isOwner,
  onNotice,
}: {
  member: Member;
  isMe: boolean;
  canManage: boolean;
  isOwner: boolean;
  onNotice: (m: string) => void;
}) {
  const editable = canManage && !isMe && m.role !== "owner";
  return (
    <TR>
      <TD>
        <p className="font-medium text-slate-900">
          {m.name} {isMe ? <span className="font-normal text-slate-500">(you)</span> : null}
        </p>
        <p className="text-xs text-slate-500">{m.email}</p>
      </TD>
      <TD>{editable ? <RoleEditor member={m} onNotice={onNotice} /> : <RoleBadge role={m.role} />}</TD>
      <TD>
        {m.role !== "member" ? (
          <span className="text-slate-500">All workspaces</span>
        ) : m.workspaces.length === 0 ? (
          <span className="text-slate-500">None yet</span>
        ) : (
          <ul className="flex flex-col gap-0.5">
            {m.workspaces.map((w) => (
              <li key={w.id}>
                {w.name} <span className="text-xs text-slate-500">({w.role})</span>
              </li>
            ))}
          </ul>
        )}
      </TD>
      <TD className="whitespace-nowrap text-slate-600">{m.lastActiveAt ? <RelativeTime value={m.lastActiveAt} /> : "Never"}</TD>
      {canManage ? (
        <TD className="w-12 text-right">{editable ? <MemberActions member={m} isOwner={isOwner} onNotice={onNotice} /> : null}</TD>
      ) : null}
    </TR>
  );
}

function MemberActions({ member: m, isOwner, onNotice }: { member: Member; isOwner: boolean; onNotice: (m: string) => void }) {
  const [dialog, setDialog] = useState<"transfer" | "remove" | null>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  const setOpen = (which: "transfer" | "remove") => (open: boolean) => setDialog(open ? which : null);
  return (
    <>
      <RowMenu
        label={`Actions for ${m.name}`}
        triggerRef={menuButton}
        items={[
          ...(isOwner ? [{ label: "Make owner…", onSelect: () => setDialog("transfer") }] : []),
          { label: "Remove from organization…", onSelect: () => setDialog("remove"), tone: "danger" as const },
        ]}
      />
      <ConfirmDialog
        open={dialog === "transfer"}
        onOpenChange={setOpen("transfer")}
        returnFocusTo={menuButton}
        title={`Make ${m.name} the owner?`}
        description="They get full control, including billing and deleting the organization. You stay on the team as an admin. Only the new owner can undo this."
        intent="transfer"
        fields={{ userId: m.userId }}
        confirmLabel="Transfer ownership"
        onSuccess={() => onNotice(`${m.name} is now the owner. You are an admin.`)}
      />
      <ConfirmDialog
        open={dialog === "remove"}
        onOpenChange={setOpen("remove")}
        returnFocusTo={menuButton}
        title={`Remove ${m.name}?`}
        description="They lose access to this organization at once. Campaigns, leads and everything else they created stay with the organization."
        intent="remove"
        fields={{ userId: m.userId }}
        confirmLabel="Remove member"
        onSuccess={() => onNotice(`${m.name} was removed from the organization.`)}
      />
    </>
  );
}

function RoleEditor({ member: m, onNotice }: { member: Member; onNotice: (m: string) => void }) {
  const [role, setRole] = useState<string>(m.role);
  const f = useActionForm({ onSuccess: () => onNotice(`${m.name} is now ${role === "admin" ? "an admin" : "a member"}.`) });
  return (
    <f.Form method="post" className="flex flex-col gap-1">
      <CsrfInput />
      <input type="hidden" name="intent" value="role" />
      <input type="hidden" name="userId" value={m.userId} />
      <div className="flex items-center gap-2">
        <Select
          name="role"
          options={ROLE_OPTIONS}
          value={role}
          onChange={(e) => setRole(e.target.value)}
          aria-label={`Role for ${m.name}`}
          className="w-28"
        />
        {role !== m.role ? (
          <Button type="submit" size="sm" busy={f.busy}>
            Save
          </Button>
        ) : null}
      </div>
      {f.formError ? <p className="text-xs font-medium text-red-600">{f.formError}</p> : null}
    </f.Form>
  );
}

function InviteCard({ workspaces }: { workspaces: { id: string; name: string }[] }) {
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const f = useActionForm<Invitation>({ reset: true, onSuccess: () => setPicked(new Set()) });
  return (
    <Card>
      <CardHeader title="Invite someone" description="They get an e-mail with a link that is valid for 7 days." />
      <CardBody>
        <f.Form method="post" ref={f.formRef} className="flex flex-col gap-4" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="invite" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          {f.succeeded?.result ? <Alert tone="success">Invitation sent to {f.succeeded.result.email}.</Alert> : null}
          <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
            <Field label="E-mail address" name="email" type="email" autoComplete="off" required error={f.fieldError("email")} />
            <SelectField label="Organization role" name="role" options={ROLE_OPTIONS} defaultValue="member" error={f.fieldError("role")} />
          </div>
          <p className="-mt-2 text-xs text-slate-500">
            Admins manage the team, every workspace and API keys. Members only see the workspaces you give them.
          </p>
          <fieldset className="flex flex-col gap-2">
            <legend className="text-sm font-medium text-slate-800">Workspaces</legend>
            <p className="text-xs text-slate-500">Optional. Pick the workspaces they join and their role in each.</p>
            {workspaces.length === 0 ? (
              <p className="text-sm text-slate-500">This organization has no workspaces yet.</p>
            ) : (
              <ul className="flex flex-col divide-y divide-slate-100 rounded-md border border-slate-200">
                {workspaces.map((w) => {
                  const on = picked.has(w.id);
                  return (
                    <li key={w.id} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2">
                      <Checkbox
                        name={`ws.${w.id}`}
                        label={w.name}
                        checked={on}
                        onChange={(e) => {
                          const next = new Set(picked);
                          if (e.target.checked) next.add(w.id);
                          else next.delete(w.id);
                          setPicked(next);
                        }}
                      />
                      <Select
                        name={`wsRole.${w.id}`}
                        options={WORKSPACE_ROLE_OPTIONS}
                        defaultValue="member"
                        disabled={!on}
                        aria-label={`Role in ${w.name}`}
                        className="w-32"
                      />
                    </li>
                  );
                })}
              </ul>
            )}
            {f.fieldError("workspaces") ? <p className="text-xs font-medium text-red-600">{f.fieldError("workspaces")}</p> : null}
          </fieldset>
          <TextareaField
            label="Personal note (optional)"
            name="note"
            maxLength={500}
            hint="Added to the invitation e-mail. Up to 500 characters."
            error={f.fieldError("note")}
          />
          <div>
            <Button type="submit" busy={f.busy}>
              Send invitation
            </Button>
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}

const STATUS_TONE: Record<Invitation["status"], BadgeTone> = {
  pending: "brand",
  accepted: "success",
  revoked: "neutral",
  expired: "warning",
};

function InvitationsCard({
  invitations,
  canManage,
  onNotice,
}: {
  invitations: Invitation[];
  canManage: boolean;
  onNotice: (m: string) => void;
}) {
  const pending = invitations.filter((i) => i.status === "pending");
  const past = invitations.filter((i) => i.status !== "pending");
  return (
    <Card>
      <CardHeader
        title="Invitations"
        description={pending.length ? `${pending.length} waiting for an answer.` : "No invitations are waiting for an answer."}
      />
      <CardBody className="flex flex-col gap-3">
        {pending.length === 0 ? (
          <EmptyState title="No pending invitations">
            {canManage
              ? "Invite a teammate above; their invitation shows up here until they accept it."
              : "Invitations sent by owners and admins show up here."}
          </EmptyState>
        ) : (
          <InvitationsTable rows={pending} caption="Pending invitations" canManage={canManage} onNotice={onNotice} />
        )}
        {past.length ? (
          <details className="group rounded-md border border-slate-200">
            <summary className="cursor-pointer select-none px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50">
              Past invitations ({past.length}): accepted, revoked or expired
            </summary>
            <div className="border-t border-slate-100 px-5">
              <InvitationsTable rows={past} caption="Past invitations" canManage={false} onNotice={onNotice} />
            </div>
          </details>
        ) : null}
      </CardBody>
    </Card>
  );
}

function InvitationsTable({
  rows,
  caption,
  canManage,
  onNotice,
}: {
  rows: Invitation[];
  caption: string;
  canManage: boolean;
  onNotice: (m: string) => void;
}) {
  return (
    <Table caption={caption}>
      <THead>
        <TR>
          <TH>E-mail</TH>
          <TH>Role</TH>
          <TH>Status</TH>
          <TH>Sent</TH>
          {canManage ? (
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          ) : null}
        </TR>
      </THead>
      <TBody>
        {rows.map((i) => (
          <TR key={i.id}>
            <TD className="font-medium">{i.email}</TD>
            <TD>
              <RoleBadge role={i.role} />
            </TD>
            <TD>
              <Badge tone={STATUS_TONE[i.status]}>{i.status.charAt(0).toUpperCase() + i.status.slice(1)}</Badge>
              {i.status === "pending" ? (
                <p className="mt-1 whitespace-nowrap text-xs text-slate-500">
                  Expires <RelativeTime value={i.expiresAt} />
                </p>
              ) : null}
            </TD>
            <TD className="whitespace-nowrap text-slate-600">
              <DateTime value={i.createdAt} withTime={false} />
            </TD>
            {canManage ? (
              <TD className="text-right">
                {i.status === "pending" ? (
                  <ConfirmDialog
                    trigger={
                      <Button
                        variant="ghost"
                        size="sm"
                        className="text-red-700 hover:bg-red-50"
                        aria-label={`Revoke the invitation for ${i.email}`}
                      >
                        Revoke
                      </Button>
                    }
                    title={`Revoke the invitation for ${i.email}?`}
                    description="The link in their e-mail stops working. You can invite them again later."
                    intent="revoke-invite"
                    fields={{ id: i.id }}
                    confirmLabel="Revoke invitation"
                    onSuccess={() => onNotice(`The invitation for ${i.email} was revoked.`)}
                  />
                ) : null}
              </TD>
            ) : null}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
