import type { AddressInfo } from "node:net";
import { type SinkHeaders, startCounter } from "../fakes/smtp-sink.ts";
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
  const received: (Omit<SinkHeaders, "body"> & { to: string })[] = [];
  const waiters: (() => void)[] = [];
  let onPixel: ((to: string, path: string) => void) | null = null;
  const server = await startCounter(
    SINK_USER,
    SINK_PASS,
    (rcpts, { body, ...headers }) => {
      const to = rcpts[0] ?? "";
      if (received.length < 100) received.push({ ...headers, to });
      log(`demo SMTP sink: message for ${rcpts.join(", ")}`);
      for (const w of waiters.splice(0)) w();
      const pixel = body ? pixelPath(body) : null;
      if (pixel && onPixel) onPixel(to, pixel);
    },
    0,
    { body: true },
  );
  return {
    port: (server.address() as AddressInfo).port,
    received,
    /** Called with the open pixel's path of every message that carries one (HTML e-mails of campaigns tracking opens). */
    onPixel(fn: (to: string, path: string) => void) {
      onPixel = fn;
    },
    /** Resolves once at least `n` messages have arrived. */
    async waitFor(n: number) {
      while (received.length < n) await new Promise<void>((r) => waiters.push(r));
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export type DemoSmtpSink = Awaited<ReturnType<typeof startDemoSmtpSink>>;

/** The open pixel's path in a message body (quoted-printable HTML: soft line breaks and =3D undone first). */
function pixelPath(body: string): string | null {
  const decoded = body.replace(/=\r\n/g, "").replace(/=3D/gi, "=");
  return /\/t\/o\/[A-Za-z0-9_.-]+/.exec(decoded)?.[0] ?? null;
}

/**
 * Some demo recipients "open" their e-mail: a few seconds after a message with a pixel arrives, it
 * is fetched the way a mail client loads images, through the Worker's real tracking path (signed
 * token, hit buffer, events queue, consumer), so opens show up on the campaign and lead pages.
 * About 45 % of recipients open, decided by their address so a restart picks the same ones.
 */
function demoOpens(base: string, sink: DemoSmtpSink, say: (m: string) => void) {
  const UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
  sink.onPixel((to, path) => {
    let h = 2166136261; // FNV-1a: addresses that differ only at the end still spread evenly
    for (const ch of to) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    if (h % 100 >= 45) return;
    setTimeout(
      () =>
        void fetch(`${base}${path}`, { headers: { "user-agent": UA } })
          .then((res) => say(`demo open by ${to}: HTTP ${res.status}`))
          .catch((err: Error) => say(`demo open by ${to} failed: ${err.message}`)),
      3_000 + (h % 7_000),
    ).unref();
  });
}

/** What three demo leads answer: interest, an out-of-office, a polite no. */
const REPLIES = [
  { text: "Hi,\n\nGood timing, actually. Could you send over a couple of slots for Thursday afternoon?\n\nThanks" },
  {
    auto: true,
    text: "Thank you for your message. I am out of the office until Monday with limited access to e-mail. For urgent matters please contact our office.",
  },
  { text: "Thanks for reaching out, but we are all set for this quarter. Please take me off your list." },
];

/**
 * Once the demo campaign's first messages have reached the sink, three leads answer them through
 * the dev inbound endpoint (the same code as the Worker's email() handler), so the unified inbox
 * has threads to open: replies quote our Message-ID in In-Reply-To/References, as mail clients do.
 */
async function demoReplies(base: string, sink: DemoSmtpSink, say: (m: string) => void) {
  await sink.waitFor(REPLIES.length);
  for (const [i, r] of REPLIES.entries()) {
    const m = sink.received[i]!;
    const domain = m.to.slice(m.to.indexOf("@") + 1);
    const raw = [
      `From: <${m.to}>`,
      `To: ${m.from ?? ""}`,
      `Subject: ${r.auto ? "Automatic reply: " : "Re: "}${m.subject ?? ""}`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <demo-reply-${i}-${Date.now()}@${domain}>`,
      `In-Reply-To: ${m.messageId ?? ""}`,
      `References: ${m.messageId ?? ""}`,
      ...(r.auto ? ["Auto-Submitted: auto-replied", "X-Autoreply: yes"] : []),
      "Content-Type: text/plain; charset=utf-8",
      "",
      r.text,
      "",
    ].join("\r\n");
    const res = await fetch(`${base}/api/dev/inbound`, { method: "POST", headers: { "content-type": "message/rfc822" }, body: raw });
    const body = (await res.json().catch(() => ({}))) as { handled?: string };
    say(`demo reply from ${m.to}: ${body.handled ?? `HTTP ${res.status}`}`);
  }
}

/**
 * First start: the demo workspace gets two bring-your-own mailboxes on the local sink, twenty leads
 * in a list and a three-step campaign with an A/B first step, launched, so the engine runs and the
 * campaign pages fill up live (one message every ~15 s per mailbox), three leads answer (inbox
 * threads: interested, out of office, not interested) and about 45 % of the recipients of the HTML
 * variant open it. Every start: the demo mailboxes
 * are pointed at this run's sink port. All through the real API.
 */
export async function seedDemoOutreach(o: { base: string; sink: DemoSmtpSink; say: (m: string) => void }) {
  demoOpens(o.base, o.sink, o.say);
  const api = await demoApi(o.base);
  const workspaceId: string = (await api.get("/api/v1/workspaces")).items[0].id;
  const existing: { id: string; email: string }[] = (await api.get(`/api/v1/mailboxes?workspaceId=${workspaceId}`)).items ?? [];
  const mailboxIds: string[] = [];
  for (const m of MAILBOXES) {
    const found = existing.find((e) => e.email === m.email);
    if (found) {
      await api.send("PATCH", `/api/v1/mailboxes/${found.id}`, { smtpPort: o.sink.port });
      mailboxIds.push(found.id);
      continue;
    }
    const created = await api.send("POST", "/api/v1/mailboxes", {
      workspaceId,
      ...m,
      smtpHost: "127.0.0.1",
      smtpPort: o.sink.port,
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
            // An HTML version, so this variant's opens are tracked (variant B stays plain text).
            html: "<p>Hi {{first_name}},</p><p>Is {{company}} still building out its outbound team this quarter? We help B2B teams book more meetings without burning their domains.</p><p>Worth a 15-minute call next week?</p><p>{{sender.first_name}}</p>",
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
  // In the background: the dev server keeps running while the first messages go out.
  void demoReplies(o.base, o.sink, o.say).catch((err: Error) => o.say(`demo replies not fed: ${err.message}`));
  o.say(`demo campaign launched: ${o.base}/campaigns/${campaign.id} (delivers to the local SMTP sink on port ${o.sink.port})`);
}
