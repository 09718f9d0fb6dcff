/** Stripe's success_url target: the buyer is back from Checkout (ADR 008). */
import { cloudPlanByCode, productBySku, voiceTierByCode } from "~/domain/plans";
import { refuse, type Refusal } from "~/domain/result";
import { log } from "~/lib/log.server";
import { getStripe, isStripeNotFound, type Stripe } from "~/lib/stripe.server";
import type { Actor, Deps } from "../deps.server";
import type { ApplySource } from "./event-record.server";
import { CHECKOUT_SESSION_ID } from "./inputs";
import { ORDER_SESSION_EXPAND, recordOrder, type OrderResult } from "./orders.server";
import { stripeProblem, type StripeProblem } from "./stripe-calls.server";
import { applySubscription, type ApplyResult } from "./subscription-sync.server";

type Written<R> = Extract<R, { ok: true }>;

export type CheckoutReturn =
  | { ok: true; kind: "subscription"; result: Written<ApplyResult>; planName: string; deviceId: string | null }
  | { ok: true; kind: "order"; result: Written<OrderResult>; productName: string }
  | { ok: true; kind: "pending" }
  | Refusal<"not_found", { subject: "checkout" }>
  | Refusal<"not_confirmed">
  | StripeProblem;

const noSuchCheckout = () => refuse("not_found", { subject: "checkout" as const });

/**
 * success_url target: re-reads the session (and its subscription) and applies it exactly as the
 * webhook would, so the page is right even when the webhook hasn't arrived yet.
 */
export async function completeCheckoutReturn(deps: Deps, sessionId: string, actor: Actor): Promise<CheckoutReturn> {
  if (!CHECKOUT_SESSION_ID.test(sessionId)) return noSuchCheckout();
  const stripe = getStripe(deps.env);
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.retrieve(sessionId, { expand: ORDER_SESSION_EXPAND });
  } catch (err) {
    if (isStripeNotFound(err)) return noSuchCheckout();
    return stripeProblem(err, "checkout_return", actor.requestId);
  }
  const owner = session.metadata?.userId ?? session.client_reference_id;
  if (owner !== actor.user.id) return noSuchCheckout();
  if (session.status !== "complete") return { ok: true, kind: "pending" };
  const source: ApplySource = { eventType: "checkout.success_page", requestId: actor.requestId };
  const md = session.metadata ?? {};
  if (session.mode === "subscription") {
    const subId = typeof session.subscription === "string" ? session.subscription : (session.subscription?.id ?? null);
    if (!subId) return { ok: true, kind: "pending" };
    let sub: Stripe.Subscription;
    const readAt = Date.now(); // before the call: see applySubscription
    try {
      sub = await stripe.subscriptions.retrieve(subId);
    } catch (err) {
      return stripeProblem(err, "checkout_return_subscription", actor.requestId);
    }
    const applied = await writeDown(() => applySubscription(deps, sub, source, readAt), session.id, actor);
    if (!applied.ok) return applied.settling ? { ok: true, kind: "pending" } : refuse("not_confirmed");
    const planName = md.planCode ? (cloudPlanByCode(md.planCode)?.name ?? md.planCode) : md.tier ? (voiceTierByCode(md.tier)?.name ?? md.tier) : "Your plan";
    return { ok: true, kind: "subscription", result: applied.result, planName, deviceId: md.deviceId ?? null };
  }
  const recorded = await writeDown(() => recordOrder(deps, session, source), session.id, actor);
  if (!recorded.ok) return refuse("not_confirmed");
  return { ok: true, kind: "order", result: recorded.result, productName: productBySku(md.sku ?? "")?.name ?? "Your order" };
}

/**
 * The payment went through but we couldn't write it down (a state Stripe will settle, a price or
 * metadata we don't know, D1 trouble). The page must not fail: the webhook retries until it
 * converges, so the buyer is told to wait, and the cause goes to the log. An active subscription
 * without a period is still settling (the page says "confirming"); the rest is "couldn't confirm".
 */
async function writeDown<R extends { ok: true } | { ok: false; error: string }>(
  write: () => Promise<R>,
  sessionId: string,
  actor: Actor,
): Promise<{ ok: true; result: Extract<R, { ok: true }> } | { ok: false; settling: boolean }> {
  let error: string;
  let settling = false;
  try {
    const r = await write();
    if (r.ok) return { ok: true, result: r as Extract<R, { ok: true }> };
    settling = r.error === "active_without_period";
    error = JSON.stringify(r);
  } catch (err) {
    error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  log(settling ? "warn" : "error", "checkout_return_not_applied", { requestId: actor.requestId, session: sessionId, userId: actor.user.id, error });
  return { ok: false, settling };
}
