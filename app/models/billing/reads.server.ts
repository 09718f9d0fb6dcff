/** What the services page (and checkout) read about a user's paid subscriptions. */
import { and, desc, eq, inArray } from "drizzle-orm";
import { subscriptions, type Subscription } from "~/db/schema";
import { VOICE_SUBSCRIPTION_SKUS } from "~/domain/checkout-policy";
import { cloudPlanBySku, voiceTierBySku } from "~/domain/plans";
import { billingNotice } from "~/domain/stripe-subscription";
import { LIVE_SUBSCRIPTION_STATUSES } from "~/domain/subscription-status";
import type { Deps } from "../deps.server";
import { stripeCustomerOf } from "./customers.server";

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
      notice: billingNotice({ status: s.status, stripeStatus: s.stripeStatus ?? "", cancelAtPeriodEnd: s.cancelAtPeriodEnd, cancelAtMs: s.cancelAt }),
    };
  });
}

/** Whether the user has a Stripe customer (and so a billing portal to open). */
export async function hasBillingAccount(deps: Deps, userId: string): Promise<boolean> {
  return (await stripeCustomerOf(deps, userId)) !== null;
}
