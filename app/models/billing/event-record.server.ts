/**
 * Recording a Stripe event (ADR 008). The `stripe_events` row is written in the SAME batch as the
 * event's effects, as its first statement: "recorded" means "applied", a failed attempt leaves no
 * row (Stripe's retry runs it again), and a concurrent twin of the same event fails on the
 * primary key, which rolls its batch back and makes it a duplicate.
 */
import { isUniqueViolation, runBatch, type Stmt } from "~/db/d1.server";
import type { Db } from "~/db/client.server";
import { stripeEvents, type StripeEventRow } from "~/db/schema";

export interface ApplySource {
  /** Set when a webhook event caused this: recorded in stripe_events in the same batch. */
  eventId?: string;
  /** The event type, or e.g. "checkout.success_page". */
  eventType: string;
  receivedAt?: number;
  requestId?: string | null;
  /** The invoice of an invoice event (its payment-failed mail is keyed by it, ADR 019). */
  invoice?: { id: string; nextPaymentAttempt: number | null };
  /** A staff re-sync from the support view (ADR 025): named in the audit row of the same batch. */
  staff?: { email: string; sub: string };
}

/** Nothing to do for this object (not ours, not a product checkout, not complete yet…). */
export type Ignored = { ok: true; outcome: "ignored"; reason: string };
/** The event was recorded by a concurrent delivery of the same event. */
export type Duplicate = { ok: true; outcome: "duplicate" };

export const ignored = (reason: string): Ignored => ({ ok: true, outcome: "ignored", reason });
export const duplicate = (): Duplicate => ({ ok: true, outcome: "duplicate" });

export function eventRow(db: Db, source: ApplySource & { eventId: string }, outcome: StripeEventRow["outcome"], objectId: string | null, now: number): Stmt {
  return db.insert(stripeEvents).values({
    id: source.eventId,
    type: source.eventType,
    objectId,
    outcome,
    receivedAt: source.receivedAt ?? now,
    processedAt: now,
  });
}

/**
 * Runs a batch whose first statement may record the event; a concurrent twin makes it a duplicate.
 * Otherwise the statements' results, position by position.
 */
export async function runEventBatch(db: Db, stmts: readonly Stmt[]): Promise<unknown[] | "duplicate"> {
  try {
    return await runBatch(db, stmts);
  } catch (err) {
    if (isUniqueViolation(err, "stripe_events.id")) return "duplicate";
    throw err;
  }
}

/** Records the event as ignored (when there is one) and says why. */
export async function recordIgnored(db: Db, source: ApplySource, reason: string, objectId: string | null, now = Date.now()): Promise<Ignored | Duplicate> {
  if (source.eventId && (await runEventBatch(db, [eventRow(db, { ...source, eventId: source.eventId }, "ignored", objectId, now)])) === "duplicate")
    return duplicate();
  return ignored(reason);
}
