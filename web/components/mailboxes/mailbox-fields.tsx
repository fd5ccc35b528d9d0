import type * as React from "react";
import { useEffect, useId, useState } from "react";
import { zoneOptions } from "~/components/time-zones";
import { Field } from "~/components/ui/field";
import { SelectField } from "~/components/ui/select";
import { TextareaField } from "~/components/ui/textarea";
import { cn } from "~/lib/cn";

/** The form's text values (what the inputs start with); passwords never come back from the server. */
export interface MailboxFormValues {
  workspaceId?: string;
  email?: string;
  fromName: string;
  signature: string;
  smtpHost: string;
  smtpPort: string;
  smtpSecurity: string;
  smtpUsername: string;
  imapHost: string;
  imapPort: string;
  imapUsername: string;
  dailyLimit: string;
  minGapSeconds: string;
  timezone: string;
}

export const NEW_MAILBOX: MailboxFormValues = {
  workspaceId: "",
  email: "",
  fromName: "",
  signature: "",
  smtpHost: "",
  smtpPort: "587",
  smtpSecurity: "starttls",
  smtpUsername: "",
  imapHost: "",
  imapPort: "993",
  imapUsername: "",
  dailyLimit: "50",
  minGapSeconds: "120",
  timezone: "UTC",
};

const SECURITY = [
  { value: "starttls", label: "STARTTLS (port 587, recommended)" },
  { value: "tls", label: "TLS / SSL (port 465)" },
  { value: "none", label: "None (local test server only)" },
];
const DEFAULT_PORT: Record<string, string> = { starttls: "587", tls: "465" };

function Section({ title, description, children }: { title: string; description?: string; children: React.ReactNode }) {
  return (
    <fieldset className="flex flex-col gap-4">
      <legend className="mb-3 text-sm font-semibold text-slate-900">
        {title}
        {description ? <span className="mt-0.5 block text-xs font-normal text-slate-500">{description}</span> : null}
      </legend>
      {children}
    </fieldset>
  );
}

/**
 * The settings of a bring-your-own SMTP mailbox, shared by "Connect mailbox" and the mailbox page.
 * Uncontrolled inputs (they keep what was typed when the server refuses), except security and
 * port: picking TLS moves a default 587 to 465 and back.
 */
export function MailboxFields({
  mode,
  initial,
  fieldError,
  zones,
  workspaces,
}: {
  mode: "create" | "edit";
  initial: MailboxFormValues;
  fieldError: (name: string) => string | undefined;
  zones: readonly string[];
  workspaces?: readonly { id: string; name: string }[];
}) {
  const [security, setSecurity] = useState(initial.smtpSecurity);
  const [port, setPort] = useState(initial.smtpPort);
  const [imapOpen, setImapOpen] = useState(initial.imapHost !== "" || !!fieldError("imapHost"));
  const [timezone, setTimezone] = useState(initial.timezone);
  const imapId = useId();

  // A new mailbox starts in the browser's zone (after hydration, so server and client HTML agree).
  useEffect(() => {
    if (mode !== "create") return;
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && zones.includes(tz)) setTimezone((cur) => (cur === "UTC" ? tz : cur));
  }, [mode, zones]);

  const onSecurity = (e: React.ChangeEvent<HTMLSelectElement>) => {
    const next = e.target.value;
    if (port === DEFAULT_PORT[security] && DEFAULT_PORT[next]) setPort(DEFAULT_PORT[next]!);
    setSecurity(next);
  };

  return (
    <div className="flex flex-col gap-6">
      <Section title="Sender" description="Who recipients see the message from.">
        {mode === "create" && workspaces ? (
          workspaces.length > 1 ? (
            <SelectField
              label="Workspace"
              name="workspaceId"
              options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
              defaultValue={initial.workspaceId || workspaces[0]?.id}
              error={fieldError("workspaceId")}
            />
          ) : (
            <input type="hidden" name="workspaceId" value={workspaces[0]?.id ?? ""} />
          )
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          {mode === "create" ? (
            <Field
              label="E-mail address"
              name="email"
              type="email"
              autoComplete="off"
              required
              maxLength={254}
              placeholder="jane@acme-mail.com"
              defaultValue={initial.email}
              error={fieldError("email")}
            />
          ) : null}
          <Field
            label="From name"
            name="fromName"
            required
            maxLength={100}
            placeholder="Jane Doe"
            defaultValue={initial.fromName}
            error={fieldError("fromName")}
          />
        </div>
        <TextareaField
          label="Signature (optional)"
          name="signature"
          rows={3}
          maxLength={2000}
          defaultValue={initial.signature}
          hint="Plain text. Templates place it with {{sender.signature}}."
          error={fieldError("signature")}
        />
      </Section>

      <Section
        title="SMTP server (sending)"
        description="From your provider's settings page (Google Workspace, Microsoft 365, Zoho, your own server…)."
      >
        <div className="grid gap-4 sm:grid-cols-[1fr_7rem]">
          <Field
            label="SMTP host"
            name="smtpHost"
            required
            autoComplete="off"
            spellCheck={false}
            placeholder="smtp.example.com"
            defaultValue={initial.smtpHost}
            error={fieldError("smtpHost")}
          />
          <Field
            label="SMTP port"
            name="smtpPort"
            inputMode="numeric"
            required
            value={port}
            onChange={(e) => setPort(e.target.value)}
            error={fieldError("smtpPort")}
          />
        </div>
        <SelectField
          label="Security"
          name="smtpSecurity"
          options={SECURITY}
          value={security}
          onChange={onSecurity}
          error={fieldError("smtpSecurity")}
          hint={security === "none" ? "Only for a test server on 127.0.0.1: credentials would travel unencrypted." : undefined}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="SMTP username"
            name="smtpUsername"
            autoComplete="off"
            spellCheck={false}
            required={mode === "edit"}
            defaultValue={initial.smtpUsername}
            hint={mode === "create" ? "Usually the full e-mail address. Left empty, the address is used." : undefined}
            error={fieldError("smtpUsername")}
          />
          <Field
            label={mode === "create" ? "SMTP password" : "New SMTP password"}
            name="smtpPassword"
            type="password"
            autoComplete="new-password"
            required={mode === "create"}
            hint={
              mode === "create"
                ? "An app password if your provider uses two-step sign-in. Stored encrypted."
                : "Leave blank to keep the current password."
            }
            error={fieldError("smtpPassword")}
          />
        </div>
      </Section>

      <div className="rounded-md border border-slate-200">
        <button
          type="button"
          aria-expanded={imapOpen}
          aria-controls={imapId}
          onClick={() => setImapOpen((o) => !o)}
          className="flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm font-medium text-slate-800"
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 20 20"
            className={cn("size-4 text-slate-500 transition-transform", imapOpen && "rotate-90")}
            fill="none"
            stroke="currentColor"
            strokeWidth="1.5"
          >
            <path d="m7.5 5 5 5-5 5" />
          </svg>
          IMAP (optional) <span className="font-normal text-slate-500">for reply and bounce detection</span>
        </button>
        <div id={imapId} hidden={!imapOpen} className="flex flex-col gap-4 border-t border-slate-200 px-3 py-3">
          <div className="grid gap-4 sm:grid-cols-[1fr_7rem]">
            <Field
              label="IMAP host"
              name="imapHost"
              autoComplete="off"
              spellCheck={false}
              placeholder="imap.example.com"
              defaultValue={initial.imapHost}
              hint={mode === "edit" ? "Clear it to stop using IMAP." : undefined}
              error={fieldError("imapHost")}
            />
            <Field label="Port" name="imapPort" inputMode="numeric" defaultValue={initial.imapPort} error={fieldError("imapPort")} />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="IMAP username"
              name="imapUsername"
              autoComplete="off"
              spellCheck={false}
              defaultValue={initial.imapUsername}
              hint={mode === "create" ? "Left empty, the SMTP username is used." : "Leave blank to keep the current one."}
              error={fieldError("imapUsername")}
            />
            <Field
              label={mode === "create" ? "IMAP password" : "New IMAP password"}
              name="imapPassword"
              type="password"
              autoComplete="new-password"
              hint={mode === "create" ? "Left empty, the SMTP password is used." : "Leave blank to keep the current one."}
              error={fieldError("imapPassword")}
            />
          </div>
        </div>
      </div>

      <Section title="Sending limits" description="Every campaign using this mailbox stays within them.">
        <div className="grid gap-4 sm:grid-cols-3">
          <Field
            label="Daily limit"
            name="dailyLimit"
            type="number"
            min={10}
            max={500}
            required
            defaultValue={initial.dailyLimit}
            hint="10–500 e-mails a day. 50 is a safe start."
            error={fieldError("dailyLimit")}
          />
          <Field
            label="Minimum gap (seconds)"
            name="minGapSeconds"
            type="number"
            min={0}
            max={3600}
            required
            defaultValue={initial.minGapSeconds}
            hint="Between two sends from this mailbox."
            error={fieldError("minGapSeconds")}
          />
          <SelectField
            label="Time zone"
            name="timezone"
            options={zoneOptions(zones, timezone)}
            value={timezone}
            onChange={(e) => setTimezone(e.target.value)}
            hint="“Today” for the daily limit starts at midnight here."
            error={fieldError("timezone")}
          />
        </div>
      </Section>
    </div>
  );
}
