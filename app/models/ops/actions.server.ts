/**
 * The support view's actions (ADR 025), each limited to what support needs and each writing its
 * audit row, naming the staff member (the Access token's email and sub), in the same db.batch as
 * its change. None can grant a trial or move a camera: ending an offer only closes it, a mail is
 * only sent sooner, a re-sync only re-applies what Stripe says (the one writer, applySubscription).
 */
import { and, eq, sql } from "drizzle-orm";
import { deviceTransfers, mailOutbox, subscriptions } from "~/db/schema";
import { mailResendable, transferEndable } from "~/domain/ops-view";
import { refuse, type Refusal } from "~/domain/result";
import { recordAudit } from "../audit.server";
import { syncSubscription } from "../billing/subscription-sync.server";
import type { Deps } from "../deps.server";
import { guardedBatch } from "../devices/guarded-batch.server";
import { sendMailFor, type DeliveryReport } from "../mail/outbox.server";

export interface StaffActor {
  staff: { email: string; sub: string };
  requestId?: string | null;
  now?: number;
}

export type EndOfferResult = { ok: true; deviceId: string } | Refusal<"not_found", { subject: "transfer offer" }> | Refusal<"transfer_not_open">;

/** Ends an open transfer offer (its link stops working) and drops its pending offer mail. */
export async function endTransferOffer(deps: Deps, transferId: string, actor: StaffActor, reason: string): Promise<EndOfferResult> {
  const { db } = deps;
  const now = actor.now ?? Date.now();
  const [t] = await db.select().from(deviceTransfers).where(eq(deviceTransfers.id, transferId)).limit(1);
  if (!t) return refuse("not_found", { subject: "transfer offer" as const });
  if (!transferEndable(t)) return refuse("transfer_not_open");
  const done = await guardedBatch(
    db,
    {
      audit: {
        event: "transfer_ended_by_staff",
        deviceId: t.deviceId,
        subjectType: "transfer",
        subjectId: t.id,
        detail: { staff: actor.staff, reason, userId: t.fromUserId, toEmail: t.toEmail },
        requestId: actor.requestId,
        at: now,
      },
      preconditions: sql`EXISTS (SELECT 1 FROM device_transfers WHERE id = ${t.id} AND status = 'offered')`,
    },
    (guard) => [
      db
        .update(deviceTransfers)
        .set({ status: "cancelled", decidedAt: now })
        .where(and(eq(deviceTransfers.id, t.id), eq(deviceTransfers.status, "offered"), guard)),
      // Its offer mail, if still unsent, would carry a link that no longer works.
      db
        .update(mailOutbox)
        .set({ status: "suppressed", payload: null, lastError: "transfer_ended_by_staff" })
        .where(and(eq(mailOutbox.kind, "transfer_offered"), eq(mailOutbox.causeId, t.id), eq(mailOutbox.status, "pending"), guard)),
    ],
  );
  if (!done) return refuse("transfer_not_open");
  return { ok: true, deviceId: t.deviceId };
}

export type ResendResult = { ok: true; report: DeliveryReport } | Refusal<"not_found", { subject: "page" }> | Refusal<"mail_not_resendable">;

/** Sends a pending mail now instead of at its next retry (a sent or given-up one can't be: see mailResendable). */
export async function resendMail(deps: Deps, mailId: string, actor: StaffActor): Promise<ResendResult> {
  const { db } = deps;
  const now = actor.now ?? Date.now();
  const [m] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, mailId)).limit(1);
  if (!m) return refuse("not_found", { subject: "page" as const });
  if (!mailResendable(m)) return refuse("mail_not_resendable");
  const done = await guardedBatch(
    db,
    {
      audit: {
        event: "mail_resent_by_staff",
        subjectType: "mail",
        subjectId: m.id,
        detail: { staff: actor.staff, kind: m.kind, causeId: m.causeId, userId: m.toUserId, attemptsBefore: m.attempts },
        requestId: actor.requestId,
        at: now,
      },
      preconditions: sql`EXISTS (SELECT 1 FROM mail_outbox WHERE id = ${m.id} AND status = 'pending' AND payload IS NOT NULL)`,
    },
    (guard) => [
      db
        .update(mailOutbox)
        .set({ nextAttemptAt: now })
        .where(and(eq(mailOutbox.id, m.id), eq(mailOutbox.status, "pending"), guard)),
    ],
  );
  if (!done) return refuse("mail_not_resendable");
  // After the commit, like every send (ADR 019): a failure stays pending for the cron.
  return { ok: true, report: await sendMailFor(deps, m.kind, m.causeId, now) };
}

export type ResyncResult = { ok: true; status: string } | Refusal<"not_found", { subject: "subscription" }> | Refusal<"resync_failed", { reason: string }>;

/**
 * Re-reads one of our Stripe subscriptions and applies it through applySubscription, whose batch
 * writes the subscription_synced audit row naming the staff member. When nothing could be applied,
 * a row saying so (with the staff member) is written instead.
 */
export async function resyncSubscription(deps: Deps, externalId: string, actor: StaffActor): Promise<ResyncResult> {
  const { db } = deps;
  const [s] = await db
    .select({ id: subscriptions.id, deviceId: subscriptions.deviceId, userId: subscriptions.userId })
    .from(subscriptions)
    .where(and(eq(subscriptions.externalId, externalId), eq(subscriptions.source, "stripe")))
    .limit(1);
  if (!s) return refuse("not_found", { subject: "subscription" as const });
  const r = await syncSubscription(deps, externalId, { eventType: "ops.resync", requestId: actor.requestId, staff: actor.staff });
  if (r.ok && r.outcome === "applied") return { ok: true, status: r.local.status };
  const reason = r.ok ? r.outcome : r.error;
  await recordAudit(db, {
    event: "subscription_resync_by_staff_failed",
    deviceId: s.deviceId,
    subjectType: "subscription",
    subjectId: externalId,
    detail: { staff: actor.staff, reason, userId: s.userId },
    requestId: actor.requestId,
    at: actor.now ?? Date.now(),
  });
  return refuse("resync_failed", { reason });
}
