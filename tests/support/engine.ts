import { env as cfEnv } from "cloudflare:workers";
import { expect } from "vitest";
import { type Caller, call, seed, signInAs } from "./api.ts";
import type { SeededTenant } from "./seed.ts";

/** Shared set-up for engine tests: a tenant with leads in a list, mailboxes on the test SMTP sink, campaigns. */
export type Mail = { to: string[]; subject: string; text: string; html: string; user: string | null; headers: Record<string, string> };
export const received = async (domain: string): Promise<Mail[]> =>
  ((await (await fetch(cfEnv.TEST_SMTP_LOG_URL)).json()) as Mail[]).filter((m) => m.to.some((t) => t.endsWith(`@${domain}`)));

export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface Setup {
  t: SeededTenant;
  s: Caller;
  domain: string;
  listId: string;
  mailboxIds: string[];
}

export async function setup(label: string, emails: string[], mailbox: Record<string, unknown> = {}): Promise<Setup> {
  const t = await seed(label);
  const s = await signInAs(t);
  const domain = `${label.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}.test`;
  await call("PATCH", `/api/v1/workspaces/${t.workspaceId}`, { ...s, body: { postalAddress: "1 Penguin Way, 10115 Berlin, Germany" } });
  const list = await call("POST", "/api/v1/lists", { ...s, body: { workspaceId: t.workspaceId, name: "Audience" } });
  for (const [i, e] of emails.entries()) {
    await call("POST", "/api/v1/leads", {
      ...s,
      body: { workspaceId: t.workspaceId, email: `${e}@${domain}`, firstName: `Lead${i}`, company: `Co ${i}`, listIds: [list.json.id] },
    });
  }
  const mailboxIds: string[] = [];
  for (const from of ["ann@sender-one.test", "bob@sender-two.test"]) {
    const m = await call("POST", "/api/v1/mailboxes", {
      ...s,
      body: {
        workspaceId: t.workspaceId,
        email: from.replace("@", `.${label.toLowerCase()}@`),
        fromName: "Ann Sender",
        smtpHost: "127.0.0.1",
        smtpPort: Number(cfEnv.TEST_SMTP_PORT),
        smtpSecurity: "none",
        smtpUsername: "relay-user",
        smtpPassword: "relay-pass",
        minGapSeconds: 0,
        ...mailbox,
      },
    });
    mailboxIds.push(m.json.id);
  }
  return { t, s, domain, listId: list.json.id, mailboxIds };
}

export const allWeek = { days: [1, 2, 3, 4, 5, 6, 7], startMinute: 0, endMinute: 1440, timezone: "UTC" };
export const twoSteps = [
  {
    variants: [
      { subject: "{Quick|Short} question, {{first_name}}", text: "Hi {{first_name}},\n\nIs {{company}} hiring?\n\n{{sender.first_name}}" },
    ],
  },
  {
    waitMinutes: 0,
    condition: "not_replied",
    variants: [{ subject: "Re: question", text: 'Following up, {{first_name | default: "there"}}.' }],
  },
];

export async function campaign(su: Setup, extra: Record<string, unknown> = {}) {
  const r = await call("POST", "/api/v1/campaigns", {
    ...su.s,
    body: {
      name: "Test",
      workspaceId: su.t.workspaceId,
      listIds: [su.listId],
      mailboxIds: su.mailboxIds,
      schedule: allWeek,
      steps: twoSteps,
      ...extra,
    },
  });
  expect(r.status).toBe(201);
  return r.json.id as string;
}
