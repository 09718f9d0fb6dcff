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
