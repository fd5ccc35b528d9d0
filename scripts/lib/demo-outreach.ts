import type { AddressInfo } from "node:net";
import { startCounter } from "../fakes/smtp-sink.ts";
import { demoApi } from "./demo-api.ts";

/** The demo's bring-your-own mailboxes log in to the local sink with these (local data only). */
const SINK_USER = "demo-smtp";
const SINK_PASS = "demo-smtp-password";

const MAILBOXES = [
  { email: "sam@demo-agency.test", fromName: "Sam Carter" },
  { email: "casey@demo-agency.test", fromName: "Casey Morgan" },
];

const LEADS: [string, string, string, string][] = [
  ["Maria", "Lopez", "Northwind Logistics", "VP Sales"],
  ["James", "Okafor", "Brightpath Health", "Head of Growth"],
  ["Ana", "Silva", "Lumen Analytics", "CEO"],
  ["Tom", "Becker", "Harbor Freight Tech", "Sales Director"],
  ["Priya", "Nair", "Quantive", "RevOps Lead"],
  ["Lucas", "Moreau", "Atelier Cloud", "Founder"],
  ["Hannah", "Schmidt", "Kleinwerk GmbH", "Head of Sales"],
  ["Diego", "Ramos", "Solar Nexo", "COO"],
  ["Emily", "Chen", "Pinecrest Software", "VP Marketing"],
  ["Noah", "Williams", "Fieldstone Partners", "Managing Partner"],
  ["Sofia", "Rossi", "Vela Studio", "Growth Manager"],
  ["Omar", "Haddad", "Crescent Payments", "Head of Partnerships"],
  ["Julia", "Novak", "Bluefin Data", "CTO"],
  ["Ethan", "Brooks", "Keystone HR", "Sales Manager"],
  ["Mia", "Jensen", "Nordlys Energy", "Commercial Director"],
  ["Arjun", "Mehta", "Stackwise", "Founder"],
  ["Chloe", "Dubois", "Maison Verte", "Head of Sales"],
  ["Leo", "Fischer", "Bergmann Tools", "CEO"],
  ["Grace", "Kim", "Orbit Mobility", "VP Business Development"],
  ["Mateo", "Garcia", "Andes Foods", "Export Manager"],
];

/**
 * A local SMTP sink for the demo mailboxes: it accepts AUTH with the demo credentials and drops
 * each message, logging who it was for. Mail really leaves the Worker over `cloudflare:sockets`, so
 * the whole send path runs locally; nothing reaches the Internet.
 */
export async function startDemoSmtpSink(log: (m: string) => void) {
  let n = 0;
  const server = await startCounter(SINK_USER, SINK_PASS, (rcpts) => {
    n++;
    log(`demo SMTP sink: message ${n} for ${rcpts.join(", ")}`);
  });
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * First start: the demo workspace gets two bring-your-own mailboxes on the local sink, twenty leads
 * in a list and a three-step campaign with an A/B first step, launched, so the engine runs and the
 * campaign pages fill up live (one message every ~15 s per mailbox). Every start: the demo mailboxes
 * are pointed at this run's sink port. All through the real API.
 */
export async function seedDemoOutreach(o: { base: string; smtpPort: number; say: (m: string) => void }) {
  const api = await demoApi(o.base);
  const workspaceId: string = (await api.get("/api/v1/workspaces")).items[0].id;
  const existing: { id: string; email: string }[] = (await api.get(`/api/v1/mailboxes?workspaceId=${workspaceId}`)).items ?? [];
  const mailboxIds: string[] = [];
  for (const m of MAILBOXES) {
    const found = existing.find((e) => e.email === m.email);
    if (found) {
      await api.send("PATCH", `/api/v1/mailboxes/${found.id}`, { smtpPort: o.smtpPort });
      mailboxIds.push(found.id);
      continue;
    }
    const created = await api.send("POST", "/api/v1/mailboxes", {
      workspaceId,
      ...m,
      smtpHost: "127.0.0.1",
      smtpPort: o.smtpPort,
      smtpSecurity: "none",
      smtpUsername: SINK_USER,
      smtpPassword: SINK_PASS,
      dailyLimit: 50,
      minGapSeconds: 15,
      signature: `${m.fromName}\nDemo Agency`,
    });
    mailboxIds.push(created.id);
  }
  if ((await api.get("/api/v1/campaigns")).items?.length) return;

  await api.send("PATCH", `/api/v1/workspaces/${workspaceId}`, { postalAddress: "Demo Agency, 1 Penguin Way, 10115 Berlin, Germany" });
  const list = await api.send("POST", "/api/v1/lists", { workspaceId, name: "Demo prospects" });
  for (const [firstName, lastName, company, title] of LEADS) {
    const domain = `${company.toLowerCase().replace(/[^a-z]+/g, "")}.example`;
    await api.send("POST", "/api/v1/leads", {
      workspaceId,
      email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@${domain}`,
      firstName,
      lastName,
      company,
      title,
      listIds: [list.id],
    });
  }
  const campaign = await api.send("POST", "/api/v1/campaigns", {
    workspaceId,
    name: "Q1 outbound — demo",
    listIds: [list.id],
    mailboxIds,
    schedule: { days: [1, 2, 3, 4, 5, 6, 7], startMinute: 0, endMinute: 1440, timezone: "UTC" },
    steps: [
      {
        variants: [
          {
            subject: "Quick question, {{first_name}}",
            text: "Hi {{first_name}},\n\nIs {{company}} still building out its outbound team this quarter? We help B2B teams book more meetings without burning their domains.\n\nWorth a 15-minute call next week?\n\n{{sender.first_name}}",
          },
          {
            subject: "{{company}} + Demo Agency",
            text: "Hi {{first_name}},\n\nTeams like {{company}} usually lose a third of their cold e-mail to spam folders. We fix the infrastructure side of that.\n\nOpen to a short call?\n\n{{sender.first_name}}",
          },
        ],
      },
      {
        waitMinutes: 2 * 24 * 60,
        condition: "not_replied",
        variants: [
          {
            subject: "Re: Quick question, {{first_name}}",
            text: "Hi {{first_name}}, just bumping this up in case it got buried.\n\n{{sender.first_name}}",
          },
        ],
      },
      {
        waitMinutes: 4 * 24 * 60,
        condition: "not_replied",
        variants: [
          {
            subject: "Closing the loop",
            text: "Hi {{first_name}}, I will not follow up again — if outbound becomes a priority at {{company}}, I am one reply away.\n\n{{sender.first_name}}",
          },
        ],
      },
    ],
  });
  await api.send("POST", `/api/v1/campaigns/${campaign.id}/launch`);
  o.say(`demo campaign launched: ${o.base}/campaigns/${campaign.id} (delivers to the local SMTP sink on port ${o.smtpPort})`);
}
