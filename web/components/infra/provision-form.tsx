import { useEffect, useRef } from "react";
import { useActionForm } from "~/components/action-form";
import { CsrfInput } from "~/components/csrf-input";
import { SIZES } from "~/components/infra/status";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Checkbox } from "~/components/ui/checkbox";
import { Field } from "~/components/ui/field";
import { SelectField } from "~/components/ui/select";
import { TextareaField } from "~/components/ui/textarea";
import { cn } from "~/lib/cn";

/**
 * "Provision a node": posts intent=provision to the infrastructure route, whose action redirects
 * to the run's live progress page on success. On error the inputs keep what was typed (the form is
 * never reset), except the Cloudflare token, which is never echoed back.
 */
export function ProvisionForm({
  workspaces,
  defaultWorkspace,
}: {
  workspaces: readonly { id: string; name: string }[];
  defaultWorkspace?: string | null;
}) {
  const f = useActionForm();
  const cfError = f.fieldError("cfZoneId") ?? f.fieldError("cfToken");
  const sizeError = f.fieldError("size");
  // Opens the Cloudflare section when it has an error; never closes it (the person may have opened it).
  const cfRef = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (cfError && cfRef.current) cfRef.current.open = true;
  }, [cfError]);
  return (
    <f.Form method="post" ref={f.formRef} className="flex flex-col gap-5" noValidate>
      <CsrfInput />
      <input type="hidden" name="intent" value="provision" />
      {f.formError ? <Alert tone="error">{f.formError}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Sending domain"
          name="domain"
          required
          maxLength={253}
          placeholder="outreach.acme.com"
          autoCapitalize="off"
          autoComplete="off"
          spellCheck={false}
          hint="Use a sub-domain such as outreach.acme.com, not your main domain: cold mail then never touches the reputation of the domain your team e-mails from. The node becomes mail.<domain>."
          error={f.fieldError("domain")}
        />
        <SelectField
          label="Workspace"
          name="workspaceId"
          options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
          defaultValue={defaultWorkspace ?? workspaces[0]?.id}
          hint="The domain and its mailboxes belong to this workspace."
          error={f.fieldError("workspaceId")}
        />
      </div>

      <fieldset className="flex flex-col gap-2" aria-describedby={sizeError ? "size-error" : undefined}>
        <legend className="mb-1.5 text-sm font-medium text-slate-800">Node size</legend>
        <div className="grid gap-3 sm:grid-cols-3">
          {SIZES.map((s) => (
            <label
              key={s.value}
              className={cn(
                "flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 bg-white p-4 transition-colors hover:border-slate-300",
                "has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50 has-[:checked]:ring-1 has-[:checked]:ring-brand-500",
                "has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500",
              )}
            >
              <input
                type="radio"
                name="size"
                value={s.value}
                defaultChecked={s.value === "small"}
                className="mt-0.5 size-4 shrink-0 accent-brand-600 focus-visible:outline-none"
              />
              <span className="flex flex-col gap-0.5 text-sm">
                <span className="flex items-baseline justify-between gap-2">
                  <span className="font-semibold text-slate-900">{s.label}</span>
                  {s.price ? <span className="text-xs font-medium text-slate-700">{s.price}</span> : null}
                </span>
                <span className="text-slate-700">{s.volume}</span>
                <span className="text-xs text-slate-500">{s.spec}</span>
              </span>
            </label>
          ))}
        </div>
        {sizeError ? (
          <p id="size-error" className="text-xs font-medium text-red-600">
            {sizeError}
          </p>
        ) : null}
      </fieldset>

      <Checkbox
        name="dedicated"
        label="Dedicate this node to the workspace"
        description="Recommended for agencies: the workspace gets its own IP address and reputation. Otherwise every workspace of your organization can add domains to it."
      />

      <TextareaField
        label="Mailboxes (optional)"
        name="mailboxes"
        rows={4}
        className="max-w-xl"
        placeholder={"jane, Jane Doe\nsales, Acme Sales"}
        spellCheck={false}
        autoCapitalize="off"
        hint="One per line: the part before the @, a comma, then the From name. Up to 10 now; you can add more on the domain page later."
        error={f.fieldError("mailboxes")}
      />

      <details ref={cfRef} className="group rounded-md border border-slate-200">
        <summary className="cursor-pointer rounded-md px-4 py-3 text-sm font-medium text-slate-800">
          Publish the DNS records automatically with Cloudflare (optional)
        </summary>
        <div className="flex flex-col gap-4 border-t border-slate-200 px-4 py-4">
          <p className="text-sm text-slate-600">
            If the domain's DNS is on Cloudflare, we create the MX, SPF, DKIM and DMARC records for you. Use an API token limited to{" "}
            <span className="font-medium">Zone → DNS → Edit</span> on this one zone; it is stored encrypted and used only for this domain.
            Without it, you copy the records from the domain page yourself.
          </p>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Zone id"
              name="cfZoneId"
              maxLength={64}
              autoComplete="off"
              spellCheck={false}
              hint="32 characters, on the zone's Overview page."
              error={f.fieldError("cfZoneId")}
            />
            <Field
              label="API token"
              name="cfToken"
              type="password"
              maxLength={200}
              autoComplete="off"
              spellCheck={false}
              error={f.fieldError("cfToken")}
            />
          </div>
        </div>
      </details>

      <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
        <Button type="submit" busy={f.busy}>
          {f.busy ? "Starting…" : "Provision node"}
        </Button>
        <p className="text-xs text-slate-500">
          Takes about 10–30 minutes: we order the server, install MailU, set up the domain and its DKIM key. You can follow every step.
        </p>
      </div>
    </f.Form>
  );
}
