/**
 * Our local subscription statuses and the one rule of which of them are "live" (ADR 008):
 * ACTIVE, or INACTIVE (past_due/unpaid: Stripe may still collect it, so it is still billed and
 * still blocks a second plan, an unbind or a transfer). SQL filters use the same list
 * (`inArray(subscriptions.status, LIVE_SUBSCRIPTION_STATUSES)`).
 */
export type SubscriptionStatus = "ACTIVE" | "INACTIVE" | "CANCELLED" | "EXPIRED";

export const LIVE_SUBSCRIPTION_STATUSES = ["ACTIVE", "INACTIVE"] as const satisfies readonly SubscriptionStatus[];

export function isLiveStatus(status: string): boolean {
  return (LIVE_SUBSCRIPTION_STATUSES as readonly string[]).includes(status);
}

/** A Stripe subscription that has not ended: it blocks ownership changes and a second plan. */
export function isLivePaidPlan(sub: { source: string; status: string }): boolean {
  return sub.source === "stripe" && isLiveStatus(sub.status);
}

/** A subscription's status in Stripe's words, as the documented JSON clients read it (docs/api.md). */
export type ClientSubscriptionStatus = "active" | "canceled" | "past_due" | "trialing";

const CLIENT_STATUSES: readonly string[] = ["active", "canceled", "past_due", "trialing"] satisfies ClientSubscriptionStatus[];

/**
 * Our status (and Stripe's own, when a webhook recorded it) as one of the four words clients know.
 * Stripe's word wins when it is one of them; its others fold into the nearest (unpaid, incomplete →
 * past_due: still owed; incomplete_expired, paused → canceled: not running). No subscription at all
 * is "active": the user is on the free tier, which is always in force.
 */
export function clientSubscriptionStatus(local: SubscriptionStatus | "NONE", stripeStatus: string | null): ClientSubscriptionStatus {
  if (stripeStatus && CLIENT_STATUSES.includes(stripeStatus)) return stripeStatus as ClientSubscriptionStatus;
  if (stripeStatus === "unpaid" || stripeStatus === "incomplete") return "past_due";
  if (stripeStatus === "incomplete_expired" || stripeStatus === "paused") return "canceled";
  switch (local) {
    case "NONE":
    case "ACTIVE":
      return "active";
    case "INACTIVE":
      return "past_due";
    case "CANCELLED":
    case "EXPIRED":
      return "canceled";
  }
}
