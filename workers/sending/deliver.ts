import { and, eq, inArray, sql } from "drizzle-orm";
import { campaignClock, mailboxPacer } from "../../durable-objects/stubs.ts";
import { plannedSendAt } from "../campaigns/rules.ts";
import { campaigns, emailEvents, enrollments, sends } from "../campaigns/tables.ts";
import { smtpCredentials } from "../mailboxes/service.ts";
import { mailboxes } from "../mailboxes/tables.ts";
import type { Ctx } from "../platform/context.ts";
import { runInTx, type Tx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { suppressInTx } from "../suppression/service.ts";
import { type PreparedSend, prepareBatch, type SendingMailbox } from "./prepare.ts";
import { Recorder } from "./recorder.ts";
import { MAX_SESSIONS, sessionChunks } from "./sessions.ts";
import { SmtpError, SmtpSession } from "./smtp.ts";
import { envelopeSender } from "./verp.ts";

export type Outcome = "ack" | "retry";

type SendRow = typeof sends.$inferSelect;
type Mailbox = SendingMailbox;
type Delivered = { p: PreparedSend; response: string; at: Date };
/**
 * How long delivered messages may gather before a background write records them (recorder.ts):
 * sessions that end sooner are recorded in one write; slower ones about this often.
 */
const RECORD_HOLD_MS = 50;

/**
 * Delivers queued sends for one tenant, grouped by mailbox so one authenticated SMTP session carries
 * several messages. One transaction claims and prepares the whole batch before any SMTP (claim
 * first: a redelivered job finds nothing to do); then the sessions run while a recorder writes the
 * outcomes of what has already gone, so database time overlaps wire time instead of adding to it.
 * Returns what the queue should do with each message.
 */
export async function deliverSends(ctx: Ctx, env: Env, tenantId: string, sendIds: string[]): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>(sendIds.map((id) => [id, "ack"]));
  const scope = { tenantId, userId: null };
  // A busy mailbox runs several sessions: its password is decrypted once per batch, not per session.
  const creds = new Map<string, ReturnType<typeof smtpCredentials>>();
  const credentials = (box: Mailbox) => {
    let c = creds.get(box.id);
    if (!c) {
      c = smtpCredentials(ctx, box);
      creds.set(box.id, c);
    }
    return c;
  };
  const openSession = async (box: Mailbox) =>
    SmtpSession.open({
      host: box.smtpHost,
      port: box.smtpPort,
      security: box.smtpSecurity,
      ...(await credentials(box)),
      heloName: box.email.slice(box.email.indexOf("@") + 1),
    });
  // Sessions for the first jobs start opening (connect, EHLO, STARTTLS, AUTH) as soon as the claimed
  // sends' mailboxes are known, while the batch is still re-checked, rendered and committed. Nothing
  // is submitted on them before the claim has committed; one the re-check leaves unused is closed.
  const warm = new Map<string, Promise<SmtpSession>[]>();
  const prewarm = (claimed: Mailbox[]) => {
    const counts = new Map<string, { box: Mailbox; n: number }>();
    for (const b of claimed) counts.set(b.id, { box: b, n: (counts.get(b.id)?.n ?? 0) + 1 });
    const plan = sessionChunks([...counts.values()].map(({ box, n }) => [box.id, Array.from({ length: n })]));
    for (const [id] of plan.slice(0, MAX_SESSIONS)) {
      const opening = openSession(counts.get(id)!.box);
      opening.catch(() => undefined); // handled by whoever takes it
      warm.set(id, [...(warm.get(id) ?? []), opening]);
    }
  };
  // A new session waits until spare early sessions have closed, so the invocation never holds more
  // than its six connections (Workers would make the extra connect wait, with its timer running).
  let closingSpare: Promise<void> = Promise.resolve();
  const take = (box: Mailbox) => warm.get(box.id)?.shift() ?? closingSpare.then(() => openSession(box));
  let prepared: Awaited<ReturnType<typeof prepareBatch>>;
  try {
    // The joined select is written to be driven from the claimed sends' primary keys.
    prepared = await runInTx(ctx.db, { ...scope, joinsAsWritten: true }, (tx) => prepareBatch(tx, ctx, tenantId, sendIds, prewarm));
  } catch (err) {
    await closeWarm(warm);
    throw err;
  }
  const { ready, boxes, unsent, campaignIds } = prepared;
  const byMailbox = new Map<string, PreparedSend[]>();
  for (const p of ready) {
    const list = byMailbox.get(p.send.mailboxId!);
    if (list) list.push(p);
    else byMailbox.set(p.send.mailboxId!, [p]);
  }
  const jobs = sessionChunks([...byMailbox.entries()]);
  // Sessions opened for mailboxes the re-check left with fewer jobs (or none) close now: each holds
  // one of the invocation's six connections, which the jobs that do run need.
  const wanted = new Map<string, number>();
  for (const [id] of jobs.slice(0, MAX_SESSIONS)) wanted.set(id, (wanted.get(id) ?? 0) + 1);
  const spare = new Map<string, Promise<SmtpSession>[]>();
  for (const [id, list] of warm) spare.set(id, list.splice(wanted.get(id) ?? 0));
  // Not awaited here (one may still be opening against a slow server); awaited before returning.
  closingSpare = closeWarm(spare);
  let next = 0;
  const recorder = new Recorder<Delivered>((chunk) => runInTx(ctx.db, scope, (tx) => recordSentBatch(tx, tenantId, chunk)), {
    holdMs: RECORD_HOLD_MS,
  });
  try {
    // A pool, not waves: a slot takes the next session as soon as its previous one is done. A
    // recording failure stops new sessions: mail that goes out unrecorded would end up `unknown`.
    const runner = async () => {
      while (next < jobs.length && !recorder.failed) {
        const [mailboxId, group] = jobs[next++]!;
        const box = boxes.get(mailboxId)!;
        const r = await deliverGroup(
          ctx,
          tenantId,
          box,
          group,
          () => take(box),
          (d) => recorder.add(d),
        );
        for (const [id, o] of r.outcomes) out.set(id, o);
        for (let i = 0; i < r.requeued; i++) unsent.push({ mailboxId, tz: box.timezone });
      }
    };
    // allSettled: every session has finished (and handed over its deliveries) before they are all recorded.
    const settled = await Promise.allSettled(Array.from({ length: Math.min(MAX_SESSIONS, jobs.length) }, runner));
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    // Sessions never started because recording failed: nothing of theirs left, so they can go again.
    const unstarted = jobs.slice(next).flatMap(([, group]) => group.map((p) => p.send.id));
    if (unstarted.length) {
      await runInTx(ctx.db, scope, (tx) =>
        tx
          .update(sends)
          .set({ status: "retry", updatedAt: new Date() })
          .where(and(inArray(sends.id, unstarted), eq(sends.status, "sending"))),
      );
      for (const id of unstarted) out.set(id, "retry");
    }
  } finally {
    await Promise.all([closeWarm(warm), closingSpare]);
    // Whatever was delivered is recorded before the queue hears back (a throw retries the batch, and
    // the retry finds those sends claimed, never resends them).
    await recorder.drain();
  }
  // Slots taken at planning by sends that never reached SMTP go back to their mailboxes' pacers.
  const slots = new Map<string, { tz: string; n: number }>();
  for (const u of unsent) slots.set(u.mailboxId, { tz: u.tz, n: (slots.get(u.mailboxId)?.n ?? 0) + 1 });
  // Sends changed what is due next (advanced, postponed or requeued enrolments): each campaign's
  // clock re-plans. Separate objects, so they are asked at once.
  await Promise.all([
    ...[...slots].map(([mailboxId, { tz, n }]) => mailboxPacer(env, mailboxId).release(Date.now(), tz, n)),
    ...[...campaignIds].map((campaignId) => campaignClock(env, campaignId).schedule(tenantId, campaignId, Date.now() + 1000)),
  ]);
  return out;
}

/**
 * One SMTP session for a mailbox's prepared messages: each accepted message is handed to
 * `onDelivered` at once (to be recorded while the session goes on); failures are classified one by one.
 */
async function deliverGroup(
  ctx: Ctx,
  tenantId: string,
  box: Mailbox,
  group: PreparedSend[],
  open: () => Promise<SmtpSession>,
  onDelivered: (d: Delivered) => void,
): Promise<{ outcomes: Map<string, Outcome>; requeued: number }> {
  const outcomes = new Map<string, Outcome>();
  let requeued = 0;
  // Hosted mailboxes bounce to a VERP address naming the send (verp.ts); others to themselves.
  const from = (q: PreparedSend) => envelopeSender(box, q.send.id, tenantId, ctx.config.INBOUND_DOMAIN);
  let session: SmtpSession | null = null;
  // True while a session is being opened: a host we cannot reach fails every message the same way,
  // so the rest of the group is retried later instead of each waiting out its own timeout.
  let opening = false;
  try {
    for (const [index, p] of group.entries()) {
      try {
        if (!session) opening = true;
        session ??= await open();
        opening = false;
        const after = group[index + 1];
        const response = await session.send(from(p), p.to, p.data, after && { from: from(after), to: after.to });
        onDelivered({ p, response, at: new Date() });
      } catch (err) {
        const e = err instanceof SmtpError ? err : new SmtpError("connect", null, (err as Error).message);
        const action = await recordFailure(ctx, tenantId, p.send, box, p, e);
        outcomes.set(p.send.id, action.outcome);
        if (action.requeued) requeued++;
        if (action.dropSession) {
          await session?.close();
          session = null;
        }
        if (action.stopGroup || opening) {
          requeued += await requeue(
            ctx,
            tenantId,
            group.slice(index + 1).map((r) => r.send.id),
            e.message,
          );
          break;
        }
      }
    }
  } finally {
    await session?.close();
  }
  return { outcomes, requeued };
}

type Prepared = PreparedSend;

/** Closes sessions opened ahead that no job took (and lets failed openings go). */
async function closeWarm(warm: Map<string, Promise<SmtpSession>[]>) {
  const left = [...warm.values()].flat();
  warm.clear();
  await Promise.all(left.map((p) => p.then((s) => s.close()).catch(() => undefined)));
}

/**
 * One statement per chunk of delivered messages: each send becomes `sent` with what was rendered,
 * gets its `sent` event, and its enrolment moves to the next step (planned inside the sending
 * window) or completes. Data-modifying CTEs run as one unit, and one round trip is what matters here.
 * Only sends still `sending` are recorded, and only their enrolments move: a write that committed
 * but whose answer was lost is retried by the recorder, and must not add a second `sent` event.
 * The `id = any(…)` beside each join to `v` gives the planner a primary-key lookup whatever the
 * statistics say: on a campaign's fresh rows it otherwise estimated one row and compared every
 * enrolment with every delivered message (330 ms for 100 messages and 10,000 enrolments).
 */
async function recordSentBatch(tx: Tx, tenantId: string, delivered: Delivered[]) {
  const plans = delivered.map((d) => {
    const s = d.p.schedule;
    if (!d.p.nextStep) return { status: "completed", position: 0, at: null as string | null };
    const tz = s.timezone === "lead" ? (d.p.leadTimezone ?? s.fallbackTimezone) : s.timezone;
    const at = plannedSendAt({ dueAt: new Date(d.at.getTime() + d.p.nextStep.waitMinutes * 60_000), window: s, tz });
    return { status: "active", position: d.p.nextStep.position, at: at?.toISOString() ?? null };
  });
  const col = <T>(f: (d: Delivered, i: number) => T) => sql.param(delivered.map(f));
  await tx.execute(sql`
    with v as (
      select * from unnest(
        ${col((d) => d.p.send.id)}::text[], ${col((d) => d.at.toISOString())}::timestamptz[], ${col((d) => d.response.slice(0, 500))}::text[],
        ${col((d) => d.p.to)}::text[], ${col((d) => d.p.subject)}::text[], ${col((d) => d.p.messageId)}::text[], ${col((d) => d.p.bodyText)}::text[],
        ${col(() => newId("evt"))}::text[], ${col((d) => d.p.send.enrollmentId)}::text[],
        ${col((_, i) => plans[i]!.status)}::text[], ${col((_, i) => plans[i]!.position)}::int[], ${col((_, i) => plans[i]!.at)}::timestamptz[]
      ) as v(id, sent_at, response, to_address, subject, message_id, body_text, event_id, enrollment_id, next_status, next_position, next_at)
    ), sent as (
      update sends set status = 'sent', sent_at = v.sent_at, smtp_response = v.response, error = null, updated_at = now(),
        to_address = v.to_address, subject = v.subject, message_id = v.message_id, body_text = v.body_text
      from v where sends.id = v.id and sends.id = any(${col((d) => d.p.send.id)}::text[]) and sends.status = 'sending'
      returning sends.id, sends.campaign_id, sends.lead_id, sends.mailbox_id
    ), events as (
      insert into email_events (id, tenant_id, campaign_id, send_id, lead_id, type, at, meta)
      select v.event_id, ${tenantId}, sent.campaign_id, sent.id, sent.lead_id, 'sent', v.sent_at,
        jsonb_build_object('messageId', v.message_id, 'mailboxId', sent.mailbox_id)
      from sent join v on v.id = sent.id
    )
    update enrollments set
      status = v.next_status,
      next_position = case when v.next_status = 'completed' then enrollments.next_position + 1 else v.next_position end,
      next_send_at = v.next_at, last_sent_at = v.sent_at, updated_at = now()
    from v where enrollments.id = v.enrollment_id and enrollments.status = 'active'
      and enrollments.id = any(${col((d) => d.p.send.enrollmentId)}::text[])
      and v.id in (select id from sent)`);
}

/**
 * Classifies an SMTP failure (SPEC §4.8, INTEGRATIONS §5): lost after the message was handed over →
 * `unknown`, never resent; 5xx to RCPT → hard bounce (suppress, stop the lead); authentication
 * refused → the mailbox is paused with the reason and its sends go back to planning; any 4xx or
 * connection failure → retried with backoff; other 5xx → failed.
 */
async function recordFailure(ctx: Ctx, tenantId: string, send: SendRow, box: Mailbox, p: Prepared, e: SmtpError) {
  const now = new Date();
  return runInTx(ctx.db, { tenantId, userId: null }, async (tx) => {
    const set = (status: SendRow["status"]) =>
      tx
        .update(sends)
        .set({
          status,
          error: e.message.slice(0, 500),
          smtpResponse: e.code ? String(e.code) : null,
          // What was (or may have been) sent: an `unknown` one can still draw a reply or a bounce.
          toAddress: p.to,
          subject: p.subject,
          messageId: p.messageId,
          bodyText: p.bodyText,
          updatedAt: now,
        })
        .where(eq(sends.id, send.id));
    if (e.outcomeUnknown) {
      await set("unknown");
      return { outcome: "ack" as const, dropSession: true, stopGroup: false };
    }
    if (e.phase === "rcpt" && e.permanent) {
      await set("bounced");
      const [c] = await tx.select({ workspaceId: campaigns.workspaceId }).from(campaigns).where(eq(campaigns.id, send.campaignId));
      await suppressInTx(tx, tenantId, {
        scope: "tenant",
        kind: "address",
        value: p.to,
        reason: "hard_bounce",
        note: `SMTP ${e.message.slice(0, 200)}`,
        createdBy: null,
      });
      await tx
        .update(enrollments)
        .set({ status: "bounced", nextSendAt: null, updatedAt: now })
        .where(eq(enrollments.id, send.enrollmentId));
      await tx.insert(emailEvents).values({
        id: newId("evt"),
        tenantId,
        campaignId: send.campaignId,
        sendId: send.id,
        leadId: send.leadId,
        type: "bounced",
        at: now,
        meta: { code: e.code, message: e.message.slice(0, 300), hard: true, workspaceId: c?.workspaceId },
      });
      return { outcome: "ack" as const, dropSession: false, stopGroup: false };
    }
    if (e.phase === "auth" && e.permanent) {
      await tx
        .update(mailboxes)
        .set({ status: "error", statusReason: `Authentication failed: ${e.message.slice(0, 300)}`, updatedAt: now })
        .where(eq(mailboxes.id, box.id));
      await tx
        .update(sends)
        .set({ status: "requeue", mailboxId: null, error: e.message.slice(0, 500), updatedAt: now })
        .where(eq(sends.id, send.id));
      await tx
        .update(enrollments)
        .set({ nextSendAt: new Date(now.getTime() + 60_000), updatedAt: now })
        .where(eq(enrollments.id, send.enrollmentId));
      return { outcome: "ack" as const, dropSession: true, stopGroup: true, requeued: true };
    }
    if (e.permanent) {
      await set("failed");
      await tx.update(enrollments).set({ status: "failed", nextSendAt: null, updatedAt: now }).where(eq(enrollments.id, send.enrollmentId));
      return { outcome: "ack" as const, dropSession: false, stopGroup: false };
    }
    await set("retry");
    return { outcome: "retry" as const, dropSession: true, stopGroup: false };
  });
}

/** Claimed sends this mailbox cannot carry go back to planning (another mailbox may take them). */
async function requeue(ctx: Ctx, tenantId: string, ids: string[], why: string): Promise<number> {
  if (!ids.length) return 0;
  return runInTx(ctx.db, { tenantId, userId: null }, async (tx) => {
    const rows = await tx
      .update(sends)
      .set({ status: "requeue", mailboxId: null, error: why, updatedAt: new Date() })
      .where(and(inArray(sends.id, ids), eq(sends.status, "sending")))
      .returning({ enrollmentId: sends.enrollmentId });
    if (rows.length)
      await tx
        .update(enrollments)
        .set({ nextSendAt: new Date(Date.now() + 60_000) })
        .where(
          inArray(
            enrollments.id,
            rows.map((r) => r.enrollmentId),
          ),
        );
    return rows.length;
  });
}

/**
 * Dead-lettered send jobs (retries exhausted): marked failed, visible and retryable. A `queued`
 * send is left alone: a message carries several sends, and one the message's consumer postponed may
 * since have been planned again under the same id, in a message of its own. If it really lost its
 * message, the planner's sweep enqueues it again after 15 minutes.
 */
export async function markDeadLettered(ctx: Ctx, tenantId: string, ids: string[]) {
  await runInTx(ctx.db, { tenantId, userId: null }, (tx) =>
    tx
      .update(sends)
      .set({
        // A send still `sending` may have been handed to the server before the consumer failed: it
        // becomes `unknown` (never resent), not `failed` (which the retry action would send again).
        status: sql`case when ${sends.status} = 'sending' then 'unknown' else 'failed' end`,
        error: sql`coalesce(${sends.error}, '') || ' (retries exhausted)'`,
        updatedAt: new Date(),
      })
      .where(and(inArray(sends.id, ids), inArray(sends.status, ["retry", "sending"]))),
  );
}
