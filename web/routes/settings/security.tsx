import { useState } from "react";
import { data, redirect } from "react-router";
import { z } from "zod";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { Alert, EmptyState } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { ConfirmDialog } from "~/components/ui/dialog";
import { Field } from "~/components/ui/field";
import { Notice, type NoticeMessage } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { RelativeTime } from "~/components/ui/time";
import { scopeContext } from "~/lib/context";
import { assertCsrf, handleForm } from "~/lib/forms.server";
import { requireSession, sessionCookie } from "~/lib/session.server";
import { changePassword, deleteAccount, listMySessions, requestEmailChange, revokeMySession } from "../../../workers/auth/account.ts";
import { Email, Password } from "../../../workers/auth/schemas.ts";
import type { Route } from "./+types/security";

export const meta: Route.MetaFunction = () => [{ title: "Security & sessions · Settings · PenguinMails" }];

const ChangePasswordForm = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(256),
    newPassword: Password,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two new passwords do not match" });

const ChangeEmailForm = z.object({ newEmail: Email, password: z.string().min(1, "Enter your current password").max(256) });
const DeleteAccountForm = z.object({
  confirm: z.literal("DELETE", { message: 'Type "DELETE" in capitals to confirm' }),
  password: z.string().min(1, "Enter your password").max(256),
});
const IdForm = z.object({ id: z.string().min(1).max(64) });

export async function loader({ request, context }: Route.LoaderArgs) {
  const scope = context.get(scopeContext);
  const session = await requireSession(request, scope);
  return { email: session.actor.email, sessions: await listMySessions(scope) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = context.get(scopeContext);
  await requireSession(request, scope);
  const form = await request.formData();
  await assertCsrf(request, scope, form);
  switch (form.get("intent")) {
    case "password": {
      // The verb rotates this session; the new token goes in the cookie, never in the page data.
      const issued: { token?: string } = {};
      const res = await handleForm(form, ChangePasswordForm, async ({ currentPassword, newPassword }) => {
        issued.token = (await changePassword(scope, { currentPassword, newPassword })).token;
        return null;
      });
      return issued.token ? data(res.data, { headers: { "set-cookie": sessionCookie(scope, issued.token) } }) : res;
    }
    case "email":
      return handleForm(form, ChangeEmailForm, (input) => requestEmailChange(scope, input));
    case "revoke-session":
      return handleForm(form, IdForm, ({ id }) => revokeMySession(scope, id));
    case "revoke-others":
      return handleForm(form, z.object({}), async () => {
        const others = (await listMySessions(scope)).filter((s) => !s.current);
        for (const s of others) await revokeMySession(scope, s.id);
        return { revoked: others.length };
      });
    case "delete-account": {
      const res = await handleForm(form, DeleteAccountForm, (input) => deleteAccount(scope, input));
      if (!res.data.ok) return res;
      return redirect("/sign-in", { headers: { "set-cookie": sessionCookie(scope, null) } });
    }
    default:
      throw data("Unknown action.", { status: 400 });
  }
}

/** "Chrome on macOS" from a user-agent string; good enough to tell your own devices apart. */
function describeAgent(ua: string | null): string {
  if (!ua) return "Unknown device";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /OPR\//.test(ua)
      ? "Opera"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Chrom(e|ium)\//.test(ua)
          ? "Chrome"
          : /Safari\//.test(ua)
            ? "Safari"
            : /curl|node|undici|python|go-http/i.test(ua)
              ? "Script or API client"
              : "Browser";
  const os = /iPhone|iPad/.test(ua)
    ? "iOS"
    : /Android/.test(ua)
      ? "Android"
      : /Mac OS X|Macintosh/.test(ua)
        ? "macOS"
        : /Windows/.test(ua)
          ? "Windows"
          : /CrOS/.test(ua)
            ? "ChromeOS"
            : /Linux/.test(ua)
              ? "Linux"
              : null;
  return os ? `${browser} on ${os}` : browser;
}

export default function Security({ loaderData }: Route.ComponentProps) {
  const { email, sessions } = loaderData;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Security & sessions"
        description="Your password, the e-mail address you sign in with, and the devices that are signed in to your account."
      />
      <PasswordCard />
      <EmailCard email={email} />
      <SessionsCard sessions={sessions} />
      <DangerZone />
    </div>
  );
}

function PasswordCard() {
  const f = useActionForm({ reset: true });
  return (
    <Card>
      <CardHeader title="Password" description="Changing it signs you out everywhere else; this device stays signed in." />
      <CardBody>
        <f.Form method="post" ref={f.formRef} className="flex max-w-md flex-col gap-4" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="password" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          {f.succeeded ? <Alert tone="success">Password changed. Every other session was signed out.</Alert> : null}
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            error={f.fieldError("currentPassword")}
          />
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            hint="At least 8 characters. A long passphrase is easiest to remember."
            error={f.fieldError("newPassword")}
          />
          <Field
            label="Confirm new password"
            name="confirmPassword"
            type="password"
            autoComplete="new-password"
            required
            error={f.fieldError("confirmPassword")}
          />
          <div>
            <Button type="submit" busy={f.busy}>
              Change password
            </Button>
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}

function EmailCard({ email }: { email: string }) {
  const f = useActionForm<{ pendingEmail: string }>({ reset: true });
  return (
    <Card id="email">
      <CardHeader title="Sign-in e-mail" description={`You sign in as ${email}. We confirm a new address before switching to it.`} />
      <CardBody>
        <f.Form method="post" ref={f.formRef} className="flex max-w-md flex-col gap-4" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="email" />
          {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
          {f.succeeded?.result ? (
            <Alert tone="success" title="Check your inbox">
              We sent a confirmation link to {f.succeeded.result.pendingEmail}. Your sign-in address changes once you open it; until then
              keep using {email}.
            </Alert>
          ) : null}
          <Field label="New e-mail address" name="newEmail" type="email" autoComplete="email" required error={f.fieldError("newEmail")} />
          <Field
            label="Current password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            error={f.fieldError("password")}
          />
          <div>
            <Button type="submit" busy={f.busy}>
              Send confirmation link
            </Button>
          </div>
        </f.Form>
      </CardBody>
    </Card>
  );
}

type SessionRow = Route.ComponentProps["loaderData"]["sessions"][number];

function SessionsCard({ sessions }: { sessions: SessionRow[] }) {
  const others = sessions.filter((s) => !s.current).length;
  const [notice, setNotice] = useState<NoticeMessage>(null);
  const all = useActionForm<{ revoked: number }>({
    onSuccess: (d) => {
      const n = d.result?.revoked ?? 0;
      setNotice({ text: `Signed out ${n} other ${n === 1 ? "session" : "sessions"}.` });
    },
  });
  return (
    <Card>
      <CardHeader
        title="Active sessions"
        description="Devices signed in to your account. Sign out any you do not recognise, then change your password."
        action={
          others > 0 ? (
            <all.Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="revoke-others" />
              <Button type="submit" variant="secondary" size="sm" busy={all.busy} className="whitespace-nowrap">
                Sign out all other sessions
              </Button>
            </all.Form>
          ) : null
        }
      />
      <CardBody>
        {all.formError ? <Alert tone="error">{all.formError}</Alert> : null}
        <Notice notice={notice} className="mb-3" />
        {sessions.length === 0 ? (
          <EmptyState title="No active sessions">Sessions appear here when you sign in.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100">
            {[...sessions.filter((s) => s.current), ...sessions.filter((s) => !s.current)].map((s) => (
              <SessionItem key={s.id} session={s} onSignedOut={(device) => setNotice({ text: `Signed out ${device}.` })} />
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}

function SessionItem({ session: s, onSignedOut }: { session: SessionRow; onSignedOut: (device: string) => void }) {
  const device = describeAgent(s.userAgent);
  const f = useActionForm({ onSuccess: () => onSignedOut(device) });
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 py-3">
      <div className="min-w-0">
        <p className="flex items-center gap-2 font-medium">
          {device}
          {s.current ? <Badge tone="success">This device</Badge> : null}
        </p>
        <p className="text-xs text-slate-500">
          {s.ip ?? "Unknown IP"} · last active <RelativeTime value={s.lastSeenAt} /> · signed in <RelativeTime value={s.createdAt} />
        </p>
        {f.formError ? <p className="mt-1 text-xs font-medium text-red-600">{f.formError}</p> : null}
      </div>
      {s.current ? (
        <span className="text-xs text-slate-500">Use “Sign out” at the top to end this one.</span>
      ) : (
        <f.Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="revoke-session" />
          <input type="hidden" name="id" value={s.id} />
          <Button type="submit" variant="secondary" size="sm" busy={f.busy} aria-label={`Sign out ${device}, ${s.ip ?? "unknown IP"}`}>
            Sign out
          </Button>
        </f.Form>
      )}
    </li>
  );
}

function DangerZone() {
  return (
    <Card className="border-red-200">
      <CardHeader title="Delete account" description="Permanently remove your account and your access to every organization." />
      <CardBody className="flex flex-wrap items-center justify-between gap-4">
        <p className="max-w-xl text-sm text-slate-600">
          Access ends at once. The account can be restored by support for 30 days, then it is erased. If you own an organization with other
          members, transfer ownership first.
        </p>
        <ConfirmDialog
          trigger={<Button variant="danger">Delete account…</Button>}
          title="Delete your account?"
          description="You will be signed out everywhere immediately. Type DELETE and enter your password to confirm."
          intent="delete-account"
          confirmLabel="Delete my account"
          typeToConfirm={{ name: "confirm", label: "Type DELETE to confirm", expected: "DELETE" }}
        >
          {(fieldError) => (
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              error={fieldError("password")}
            />
          )}
        </ConfirmDialog>
      </CardBody>
    </Card>
  );
}
