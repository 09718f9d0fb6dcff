/** What the services page (and checkout) read about a user's paid subscriptions. */
import { and, desc, eq, inArray } from "drizzle-orm";
import { subscriptions, type Subscription } from "~/db/schema";
import { VOICE_SUBSCRIPTION_SKUS } from "~/domain/checkout-policy";
import { paymentGraceEndsAt } from "~/domain/payment-grace";
import { cloudPlanBySku, voiceTierBySku } from "~/domain/plans";
import { billingNotice } from "~/domain/stripe-subscription";
import { LIVE_SUBSCRIPTION_STATUSES } from "~/domain/subscription-status";
import { getStripe } from "~/lib/stripe.server";
import type { Deps } from "../deps.server";
import { stripeCustomerOf } from "./customers.server";
import { readStripe } from "./stripe-calls.server";

const liveStripe = (userId: string) =>
  and(eq(subscriptions.userId, userId), eq(subscriptions.source, "stripe"), inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES]));

/** Live Stripe voice subscriptions of a user (still billed or fixable: see subscription-status). */
export async function liveVoiceSubscriptions({ db }: Deps, userId: string) {
  return db
    .select()
    .from(subscriptions)
    .where(and(liveStripe(userId), inArray(subscriptions.sku, [...VOICE_SUBSCRIPTION_SKUS])));
}

export interface BillingSubscriptionView {
  id: string;
  kind: "cloud" | "voice";
  planCode: string | null;
  name: string;
  deviceId: string | null;
  status: Subscription["status"];
  stripeStatus: string | null;
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: number | null;
  notice: ReturnType<typeof billingNotice>;
  /** Days of history the plan keeps (cloud), for "update your card to keep N days". */
  historyDays: number | null;
  /** past_due: when access ends unless the card is fixed (ADR 017); null otherwise. */
  graceEndsAt: number | null;
}

/**
 * The user's live Stripe subscriptions (ACTIVE, or INACTIVE = billed but a payment failed), newest
 * first, each with the notice to show. "Payment failed" comes from Stripe's own status of the
 * re-read subscription (past_due/unpaid), so it appears and clears with convergence.
 */
export async function liveBillingSubscriptions({ db }: Deps, userId: string): Promise<BillingSubscriptionView[]> {
  const rows = await db.select().from(subscriptions).where(liveStripe(userId)).orderBy(desc(subscriptions.updatedAt));
  return rows.map((s) => {
    const cloud = cloudPlanBySku(s.sku);
    const voice = voiceTierBySku(s.sku);
    return {
      id: s.id,
      kind: cloud ? ("cloud" as const) : ("voice" as const),
      planCode: s.planCode,
      name: cloud?.name ?? voice?.name ?? s.sku,
      deviceId: s.deviceId,
      status: s.status,
      stripeStatus: s.stripeStatus,
      currentPeriodEnd: s.currentPeriodEnd,
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      cancelAt: s.cancelAt,
      historyDays: cloud?.historyDays ?? null,
      graceEndsAt:
        s.stripeStatus && s.currentPeriodStart !== null && s.currentPeriodEnd !== null
          ? paymentGraceEndsAt(s.stripeStatus, { startMs: s.currentPeriodStart, endMs: s.currentPeriodEnd })
          : null,
      notice: billingNotice({ status: s.status, stripeStatus: s.stripeStatus ?? "", cancelAtPeriodEnd: s.cancelAtPeriodEnd, cancelAtMs: s.cancelAt }),
    };
  });
}

/** Whether the user has a Stripe customer (and so a billing portal to open). */
export async function hasBillingAccount(deps: Deps, userId: string): Promise<boolean> {
  return (await stripeCustomerOf(deps, userId)) !== null;
}

/**
 * When Stripe will next try to take a failed payment (its latest invoice's `next_payment_attempt`),
 * in ms; null when it won't retry or can't be asked right now. Read live, only for the notice: it
 * is Stripe's schedule, not a fact our rows project (ADR 017).
 */
export async function nextPaymentAttempt({ env, db }: Deps, userId: string, subscriptionId: string): Promise<number | null> {
  const [row] = await db
    .select({ externalId: subscriptions.externalId })
    .from(subscriptions)
    .where(and(eq(subscriptions.id, subscriptionId), eq(subscriptions.userId, userId), eq(subscriptions.source, "stripe")))
    .limit(1);
  if (!row) return null;
  const read = await readStripe(() => getStripe(env).subscriptions.retrieve(row.externalId, { expand: ["latest_invoice"] }));
  if (!read.ok) return null;
  const invoice = read.value.latest_invoice;
  const at = invoice && typeof invoice === "object" ? invoice.next_payment_attempt : null;
  return typeof at === "number" ? at * 1000 : null;
}
