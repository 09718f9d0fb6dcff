/**
 * The mail outbox (ADR 019). `enqueueMail` is a statement for the batch of the change that makes a
 * mail due, so the row exists exactly when its cause committed, once per (kind, cause, recipient)
 * by the unique index. `sendMailFor` runs right after that batch; `deliverDueMail` (the cron)
 * retries what is still pending. A send first CLAIMS its row (compare-and-set on `attempts`, which
 * also pushes `next_attempt_at` forward as a lease), so two senders never both send it, and every
 * send carries the row id as the provider's idempotency key, so a send whose answer was lost is
 * not mailed twice by the retry.
 */
import { and, asc, eq, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import type { Stmt } from "~/db/d1.server";
import { mailOutbox, users, type MailOutboxRow } from "~/db/schema";
import { normalizeEmail } from "~/domain/device-ownership";
import { afterFailedAttempt, asMailLocale, DEFAULT_MAIL_LOCALE, mailRetryDelayMs, type MailKind } from "~/domain/mail-policy";
import { log } from "~/lib/log.server";
import { sendWithResend } from "~/lib/resend.server";
import { renderMail } from "~/mail/render";
import type { MailPayloads } from "~/mail/types";
import type { Deps } from "../deps.server";

/** Rows one cron run sends at most (one subrequest each). */
export const MAIL_SENDS_PER_RUN = 50;
/** When the provider isn't configured, rows wait this long between checks without spending an attempt. */
const NOT_CONFIGURED_RECHECK_MS = 60 * 60 * 1000;

/**
 * The outbox row for one mail, for the caller's batch: written only for a recipient who is a user
 * matching `recipient` (a condition on `users`) AND whose address Auth0 marked verified; nothing
 * otherwise. A second enqueue of the same cause for the same user does nothing (ON CONFLICT on the
 * unique index), so replays, retries and racing twins all leave one row.
 */
export function enqueueMail<K extends MailKind>(db: Db, m: { kind: K; causeId: string; recipient: SQL; payload: MailPayloads[K]; now: number }): Stmt {
  return db
    .insert(mailOutbox)
    .select(
      sql`SELECT ${crypto.randomUUID()}, ${m.kind}, ${m.causeId}, ${users.id}, ${users.email}, COALESCE(${users.locale}, ${DEFAULT_MAIL_LOCALE}),
        ${JSON.stringify(m.payload)}, 'pending', 0, ${m.now}, NULL, NULL, ${m.now}, NULL
        FROM ${users} WHERE (${m.recipient}) AND ${users.emailVerified} = 1 ORDER BY ${users.lastLoginAt} DESC LIMIT 1`,
    )
    .onConflictDoNothing();
}

/** The recipient condition for "the user with this id". */
export const userWithId = (userId: string): SQL => sql`${users.id} = ${userId}`;
/** The recipient condition for "a user whose address is this one" (case and spaces aside). */
export const userWithEmail = (email: string): SQL => sql`lower(trim(${users.email})) = ${normalizeEmail(email)}`;

export interface DeliveryReport {
  sent: number;
  failed: number;
  suppressed: number;
  skipped: number;
}

const emptyReport = (): DeliveryReport => ({ sent: 0, failed: 0, suppressed: 0, skipped: 0 });

/** Right after the batch that enqueued them: sends this cause's pending mails (never throws: the cron retries). */
export async function sendMailFor(deps: Deps, kind: MailKind, causeId: string, now = Date.now()): Promise<DeliveryReport> {
  const report = emptyReport();
  try {
    const rows = await deps.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.kind, kind), eq(mailOutbox.causeId, causeId), eq(mailOutbox.status, "pending"), lte(mailOutbox.nextAttemptAt, now)));
    for (const row of rows) tally(report, await deliverRow(deps, row, now));
  } catch (err) {
    log("error", "mail_send_error", { kind, causeId, error: err instanceof Error ? err.message : String(err) });
  }
  return report;
}

/** Cron: every pending mail whose time has come, oldest first, up to MAIL_SENDS_PER_RUN. */
export async function deliverDueMail(deps: Deps, now = Date.now()): Promise<DeliveryReport> {
  const report = emptyReport();
  const rows = await deps.db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, "pending"), lte(mailOutbox.nextAttemptAt, now)))
    .orderBy(asc(mailOutbox.nextAttemptAt))
    .limit(MAIL_SENDS_PER_RUN);
  for (const row of rows) tally(report, await deliverRow(deps, row, now));
  return report;
}

type RowOutcome = "sent" | "failed" | "suppressed" | "skipped" | "retry";

function tally(r: DeliveryReport, o: RowOutcome) {
  if (o === "sent") r.sent++;
  else if (o === "suppressed") r.suppressed++;
  else if (o === "skipped") r.skipped++;
  else r.failed++;
}

async function deliverRow(deps: Deps, row: MailOutboxRow, now: number): Promise<RowOutcome> {
  const { db, env } = deps;
  const attempts = row.attempts + 1;
  // The claim: only the sender that moves `attempts` from what it read sends; the new
  // next_attempt_at is the lease (a sender dying mid-send leaves the row for a later run).
  const [claimed] = await db
    .update(mailOutbox)
    .set({ attempts, nextAttemptAt: now + mailRetryDelayMs(attempts) })
    .where(and(eq(mailOutbox.id, row.id), eq(mailOutbox.status, "pending"), eq(mailOutbox.attempts, row.attempts), lte(mailOutbox.nextAttemptAt, now)))
    .returning({ id: mailOutbox.id });
  if (!claimed) return "skipped";

  // Still the user's address, still verified (it is rewritten from the ID token at each sign-in).
  const [user] = await db
    .select({ email: users.email, emailVerified: users.emailVerified, timeZone: users.timeZone })
    .from(users)
    .where(eq(users.id, row.toUserId))
    .limit(1);
  if (!user || !user.emailVerified || normalizeEmail(user.email) !== normalizeEmail(row.toEmail) || row.payload === null) {
    await db.update(mailOutbox).set({ status: "suppressed", payload: null, lastError: "recipient_not_verified" }).where(eq(mailOutbox.id, row.id));
    log("warn", "mail_suppressed", { mailId: row.id, kind: row.kind, reason: "recipient_not_verified" });
    return "suppressed";
  }

  const rendered = renderMail(row.kind, JSON.parse(row.payload) as MailPayloads[typeof row.kind], {
    locale: asMailLocale(row.locale),
    timeZone: user.timeZone,
  });
  const r = await sendWithResend(env, { to: row.toEmail, ...rendered }, row.id);
  // Resend refuses a key it already sent with another body (the time zone changed between attempts):
  // an earlier attempt was delivered, so this mail is sent.
  const sentBefore = !r.ok && r.status === 409 && r.name === "invalid_idempotent_request";
  if (r.ok || sentBefore) {
    const providerId = r.ok ? r.id : null;
    await db.update(mailOutbox).set({ status: "sent", sentAt: now, providerId, payload: null, lastError: null }).where(eq(mailOutbox.id, row.id));
    log("info", "mail_sent", { mailId: row.id, kind: row.kind, attempts, providerId, sentBefore });
    return "sent";
  }
  const lastError = `${r.status} ${r.name}: ${r.message}`.slice(0, 500);
  if (r.name === "not_configured") {
    // Our configuration, not the provider: wait without spending an attempt.
    await db
      .update(mailOutbox)
      .set({ attempts: row.attempts, nextAttemptAt: now + NOT_CONFIGURED_RECHECK_MS, lastError })
      .where(eq(mailOutbox.id, row.id));
    log("error", "mail_not_configured", { mailId: row.id, kind: row.kind, fix: "set RESEND_API_KEY and MAIL_FROM (.dev.vars.example)" });
    return "retry";
  }
  const next = afterFailedAttempt(attempts, now);
  // A row given up drops its payload too (a transfer offer's holds a usable accept link).
  await db
    .update(mailOutbox)
    .set(next.status === "failed" ? { status: "failed", payload: null, lastError } : { nextAttemptAt: next.nextAttemptAt, lastError })
    .where(eq(mailOutbox.id, row.id));
  log(next.status === "failed" ? "error" : "warn", next.status === "failed" ? "mail_gave_up" : "mail_send_failed", {
    mailId: row.id,
    kind: row.kind,
    attempts,
    error: lastError,
  });
  return next.status === "failed" ? "failed" : "retry";
}
