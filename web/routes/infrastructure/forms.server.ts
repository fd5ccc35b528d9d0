import { z } from "zod";
import { normalizeDomainName } from "../../../workers/infra/domains.ts";
import { HostedMailboxSpec } from "../../../workers/infra/hosted-mailboxes.ts";
import { isAppError } from "../../../workers/platform/errors.ts";

/**
 * Form parsing for the infrastructure and domain pages. Each schema is at least as strict as the
 * verb's own (a verb's zod failure would be a 500, not a message next to the field), with the
 * wording people see.
 */

/** A domain name as the verbs accept it (no scheme, no path), normalised. */
export const DomainName = z
  .string({ error: "Enter a domain such as outreach.acme.com" })
  .trim()
  .min(3, "Enter a domain such as outreach.acme.com")
  .max(253, "At most 253 characters")
  .transform((raw, ctx) => {
    try {
      return normalizeDomainName(raw);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: isAppError(err) ? err.message : "Not a domain name" });
      return z.NEVER;
    }
  });

type Line = { localPart: string; fromName: string; at: string | null };

/**
 * "jane, Jane Doe" per line (blank lines ignored). "jane@acme.com, Jane Doe" is accepted too; the
 * part after @ is checked against the domain once that is known (see checkMailboxDomain).
 */
export function MailboxLines(max: number, required: boolean) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): Line[] => {
      const lines = (raw ?? "")
        .split(/\r?\n/)
        .map((l, i) => ({ text: l.trim(), n: i + 1 }))
        .filter((l) => l.text);
      if (!lines.length && required) {
        ctx.addIssue({ code: "custom", message: "Add at least one mailbox: one “name, From Name” per line" });
        return z.NEVER;
      }
      if (lines.length > max) {
        ctx.addIssue({ code: "custom", message: `At most ${max} mailboxes at a time (you listed ${lines.length})` });
        return z.NEVER;
      }
      const out: Line[] = [];
      const problems: string[] = [];
      for (const { text, n } of lines) {
        const comma = text.indexOf(",");
        if (comma < 0) {
          const [first, ...rest] = text.split(/\s+/);
          problems.push(`line ${n}: add a comma before the From name, e.g. “${first}, ${rest.join(" ") || "Jane Doe"}”`);
          continue;
        }
        const address = text.slice(0, comma).trim();
        const [local, at] = address.includes("@")
          ? [address.slice(0, address.indexOf("@")), address.slice(address.indexOf("@") + 1)]
          : [address, null];
        const spec = HostedMailboxSpec.safeParse({ localPart: local, fromName: text.slice(comma + 1) });
        if (!spec.success) {
          const issue = spec.error.issues[0];
          const field = issue?.path[0] === "fromName" ? "From name" : `“${local}”`;
          problems.push(
            `line ${n}: ${field} ${issue?.path[0] === "fromName" ? "is missing or too long" : `is not a valid name (${issue?.message})`}`,
          );
          continue;
        }
        out.push({ ...spec.data, at: at ? at.toLowerCase() : null });
      }
      const seen = new Set<string>();
      for (const l of out) {
        if (seen.has(l.localPart)) problems.push(`“${l.localPart}” is listed twice`);
        seen.add(l.localPart);
      }
      if (problems.length) {
        const text = problems.slice(0, 4).join("; ") + (problems.length > 4 ? `; and ${problems.length - 4} more` : "");
        ctx.addIssue({ code: "custom", message: text.charAt(0).toUpperCase() + text.slice(1) });
        return z.NEVER;
      }
      return out;
    });
}

/** Addresses typed in full must be on the domain the mailboxes are created on. */
function checkMailboxDomain(lines: Line[], domain: string, ctx: z.RefinementCtx): { localPart: string; fromName: string }[] {
  const foreign = lines.filter((l) => l.at && l.at !== domain);
  if (foreign.length)
    ctx.addIssue({
      code: "custom",
      path: ["mailboxes"],
      message: `Mailboxes are created on ${domain}; ${foreign.map((l) => `${l.localPart}@${l.at}`).join(", ")} ${foreign.length === 1 ? "is" : "are"} not`,
    });
  return lines.map(({ localPart, fromName }) => ({ localPart, fromName }));
}

const Size = z.enum(["small", "medium", "large"], { error: "Choose a node size" });

/** The "Provision a node" form → startProvisioning's input. */
export const ProvisionForm = z
  .object({
    workspaceId: z.string({ error: "Choose a workspace" }).min(1, "Choose a workspace").max(64),
    domain: DomainName,
    size: Size,
    dedicated: z.string().optional(),
    mailboxes: MailboxLines(10, false),
    cfZoneId: z
      .string()
      .trim()
      .optional()
      .refine(
        (id) => !id || /^[a-f0-9]{32}$/i.test(id),
        "A zone id is 32 characters, 0–9 and a–f (on the zone's Overview page in Cloudflare)",
      ),
    cfToken: z
      .string()
      .trim()
      .optional()
      .refine((t) => !t || (t.length >= 20 && t.length <= 200), "That does not look like a Cloudflare API token (20–200 characters)"),
  })
  .transform((v, ctx) => {
    const mailboxes = checkMailboxDomain(v.mailboxes, v.domain, ctx);
    let cloudflare: { zoneId: string; apiToken: string } | undefined;
    if (v.cfZoneId && !v.cfToken)
      ctx.addIssue({ code: "custom", path: ["cfToken"], message: "Paste an API token with Zone → DNS → Edit on this zone" });
    else if (v.cfToken && !v.cfZoneId)
      ctx.addIssue({ code: "custom", path: ["cfZoneId"], message: "Enter the zone id the token may edit" });
    else if (v.cfZoneId && v.cfToken) cloudflare = { zoneId: v.cfZoneId, apiToken: v.cfToken };
    return { workspaceId: v.workspaceId, domain: v.domain, size: v.size, dedicated: v.dedicated === "on", mailboxes, cloudflare };
  });

/** "Create mailboxes" on a domain page → createHostedMailboxes' input (without the domain id). */
export const hostedForm = (domain: string) =>
  z
    .object({
      mailboxes: MailboxLines(50, true),
      dailyLimit: z.coerce
        .number({ error: "Enter a number between 10 and 500" })
        .int("Enter a whole number")
        .min(10, "At least 10 per day")
        .max(500, "At most 500 per day"),
    })
    .transform((v, ctx) => ({ mailboxes: checkMailboxDomain(v.mailboxes, domain, ctx), dailyLimit: v.dailyLimit }));

/** "Apply with Cloudflare" → applyDnsRecords' input. A blank token reuses the remembered one. */
export const ApplyDnsForm = z.object({
  zoneId: z
    .string({ error: "Enter the zone id" })
    .trim()
    .min(1, "Enter the zone id (Overview page of the zone in Cloudflare)")
    .max(64, "At most 64 characters"),
  apiToken: z
    .string()
    .trim()
    .max(200, "At most 200 characters")
    .optional()
    .transform((t) => (t ? t : undefined)),
  remember: z
    .string()
    .optional()
    .transform((r) => r === "on"),
});

/** "Add domain" on the domains page → addDomain's input. */
export const AddDomainForm = z.object({
  workspaceId: z.string({ error: "Choose a workspace" }).min(1, "Choose a workspace").max(64),
  name: DomainName,
  nodeId: z
    .string()
    .max(64)
    .optional()
    .transform((n) => (n ? n : undefined)),
});
