/**
 * Stripe's webhook events (ADR 008): verified against the raw body, deduplicated on the event id,
 * and processed by re-reading the object they name from Stripe (events arrive in any order, and
 * more than once). Whatever can't be written down yet is `processing_failed`: nothing is recorded,
 * so Stripe's retry runs the event again. Subscription events re-read the subscription, invoice
 * events the subscription the invoice belongs to (invoiceSubscriptionId), Checkout events the
 * session and then its subscription (or its order); any other type is recorded as ignored.
 * An event whose object Stripe itself doesn't know (the re-read is a 404) or that names no object
 * is recorded as ignored too (a retry could never succeed): only our own failures are retried.
 */
import { eq } from "drizzle-orm";
import { stripeEvents } from "~/db/schema";
import { refuse, type Refusal } from "~/domain/result";
import { log } from "~/lib/log.server";
import { getConfig } from "~/lib/config.server";
import { getStripe, keyMode, verifyWebhookEvent, type Stripe } from "~/lib/stripe.server";
import type { Deps } from "../deps.server";
import { recordIgnored, type ApplySource } from "./event-record.server";
import { ORDER_SESSION_EXPAND, recordOrder } from "./orders.server";
import { syncSubscription } from "./subscription-sync.server";
import { readStripe, type StripeReadFailed } from "./stripe-calls.server";

const SUBSCRIPTION_EVENTS = new Set([
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "customer.subscription.paused",
  "customer.subscription.resumed",
]);
const INVOICE_EVENTS = new Set(["invoice.paid", "invoice.payment_failed"]);
const CHECKOUT_EVENTS = new Set(["checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed"]);

export type EventOutcome = "applied" | "order_recorded" | "ignored" | "duplicate";

/** Why an event could not be processed (for the log; Stripe is told only to retry). */
export type ProcessingFailure =
  "stripe_misconfigured" | "stripe_read_failed" | "active_without_period" | "unknown_price" | "cloud_plan_without_device" | "order_metadata_missing";

export type ProcessingFailed = Refusal<"processing_failed", { eventId: string; reason: ProcessingFailure; notFound?: boolean; detail?: string }>;

export type ProcessResult = { ok: true; outcome: EventOutcome } | ProcessingFailed;

/** The subscription an invoice belongs to: basil's `parent.subscription_details`, else pre-basil `subscription`. */
export function invoiceSubscriptionId(invoice: unknown): string | null {
  const inv = invoice as { parent?: { subscription_details?: { subscription?: unknown } | null } | null; subscription?: unknown };
  const ref = inv?.parent?.subscription_details?.subscription ?? inv?.subscription ?? null;
  if (typeof ref === "string") return ref || null;
  if (ref && typeof ref === "object" && typeof (ref as { id?: unknown }).id === "string") return (ref as { id: string }).id;
  return null;
}

type Refused = { ok: false; error: ProcessingFailure; notFound?: boolean; detail?: string };

/** A use case's result as the event's: a refusal of any kind means "not processed, retry". */
function asEventResult(event: Stripe.Event, r: { ok: true; outcome: EventOutcome } | Refused): ProcessResult {
  if (r.ok) return { ok: true, outcome: r.outcome };
  const { ok: _ok, error, notFound, detail, ...facts } = r;
  return refuse("processing_failed", {
    eventId: event.id,
    reason: error,
    ...(notFound !== undefined ? { notFound } : {}),
    detail: detail ?? JSON.stringify(facts),
  });
}

/** What one verified event does. */
export async function processStripeEvent(deps: Deps, event: Stripe.Event, source: Omit<ApplySource, "eventId" | "eventType">): Promise<ProcessResult> {
  const { env, db } = deps;
  const src: ApplySource = { ...source, eventId: event.id, eventType: event.type };
  const object = (event.data as { object?: { id?: unknown } | null } | undefined)?.object ?? null;
  const objectId = typeof object?.id === "string" && object.id ? object.id : null;
  const ignore = async (reason: string, id: string | null = objectId) => asEventResult(event, await recordIgnored(db, src, reason, id));
  // Nothing Stripe could ever resend differently: recorded as ignored (a redelivery is a duplicate), with a line for whoever looks.
  const unknownToStripe = async (reason: string, id: string | null) => {
    log("warn", "stripe_webhook_unknown_object", { requestId: source.requestId, eventId: event.id, type: event.type, reason, objectId: id });
    return ignore(reason, id);
  };
  // A re-read that 404s: Stripe doesn't know the object (not ours to retry), unless our key is for the other mode.
  const settle = (r: Parameters<typeof asEventResult>[1] | StripeReadFailed, id: string) =>
    !r.ok && r.error === "stripe_read_failed" && r.notFound ? unknownToStripe("not_in_stripe", id) : asEventResult(event, r);

  if (!SUBSCRIPTION_EVENTS.has(event.type) && !INVOICE_EVENTS.has(event.type) && !CHECKOUT_EVENTS.has(event.type)) return ignore("unhandled_type");
  if (!object) return unknownToStripe("event_without_object", null);
  // A test-mode event with a live key (or the reverse) would 404 on every re-read: our misconfiguration, so Stripe must retry.
  const mode = keyMode(getConfig(env).STRIPE_SECRET_KEY);
  if (mode && typeof event.livemode === "boolean" && event.livemode !== (mode === "live")) {
    return refuse("processing_failed", {
      eventId: event.id,
      reason: "stripe_misconfigured" as const,
      detail: `a ${event.livemode ? "live" : "test"}-mode event, but STRIPE_SECRET_KEY is a ${mode} key`,
    });
  }

  if (SUBSCRIPTION_EVENTS.has(event.type)) {
    if (!objectId) return unknownToStripe("object_without_id", null);
    return settle(await syncSubscription(deps, objectId, src), objectId);
  }
  if (INVOICE_EVENTS.has(event.type)) {
    const subId = invoiceSubscriptionId(object);
    if (!subId) return ignore("invoice_without_subscription");
    const next = (object as { next_payment_attempt?: unknown }).next_payment_attempt;
    const invoice = objectId ? { id: objectId, nextPaymentAttempt: typeof next === "number" ? next * 1000 : null } : undefined;
    return settle(await syncSubscription(deps, subId, { ...src, invoice }), subId);
  }
  if (!objectId) return unknownToStripe("object_without_id", null);
  const read = await readStripe(() => getStripe(env).checkout.sessions.retrieve(objectId, { expand: ORDER_SESSION_EXPAND }));
  if (!read.ok) return settle(read, objectId);
  const session = read.value;
  if (session.mode === "subscription") {
    const subId = typeof session.subscription === "string" ? session.subscription : (session.subscription?.id ?? null);
    if (!subId) return ignore(`subscription_checkout_${session.status ?? "open"}`);
    return settle(await syncSubscription(deps, subId, src), subId);
  }
  return asEventResult(event, await recordOrder(deps, session, src));
}

/**
 * The event, if the Stripe-Signature header signs exactly this raw body within ±300 s
 * (`invalid_signature` otherwise); a signed body that isn't a JSON event is `invalid_payload`.
 */
export async function verifyStripeEvent(
  { env }: Deps,
  rawBody: string,
  signature: string,
  requestId?: string | null,
): Promise<{ ok: true; event: Stripe.Event } | Refusal<"invalid_signature" | "invalid_payload">> {
  const v = await verifyWebhookEvent(env, rawBody, signature);
  if (v.ok) return v;
  log("warn", "stripe_webhook_rejected", { requestId, problem: v.problem, reason: v.detail });
  return refuse(v.problem === "payload" ? "invalid_payload" : "invalid_signature");
}

export type ReceiveResult = { ok: true; duplicate: true } | { ok: true; duplicate: boolean; outcome: EventOutcome } | ProcessingFailed;

/**
 * A verified delivery: an event id already recorded is a no-op; otherwise the event is processed.
 * The event row is only written with the event's effects, so a failed event isn't "processed".
 */
export async function receiveStripeEvent(deps: Deps, event: Stripe.Event, source: { receivedAt: number; requestId?: string | null }): Promise<ReceiveResult> {
  const [seen] = await deps.db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.id)).limit(1);
  if (seen) return { ok: true, duplicate: true };
  const r = await processStripeEvent(deps, event, source);
  if (!r.ok) {
    log("error", "stripe_webhook_failed", {
      requestId: source.requestId,
      eventId: event.id,
      type: event.type,
      reason: r.reason,
      error: r.detail ?? null,
      notFound: r.notFound ?? false,
    });
    return r;
  }
  log("info", "stripe_webhook_processed", { requestId: source.requestId, eventId: event.id, type: event.type, outcome: r.outcome });
  return { ok: true, duplicate: r.outcome === "duplicate", outcome: r.outcome };
}
