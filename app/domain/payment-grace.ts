/**
 * What a failed payment does to access (ADR 017). Stripe keeps retrying a failed renewal for a
 * while (Smart Retries; we configure Stripe to retry for two weeks and then mark the subscription
 * `unpaid` or cancel it). While Stripe still says `past_due` the customer keeps what they pay for,
 * for at most PAYMENT_GRACE_DAYS from the start of the unpaid period, and never past its end;
 * `unpaid`, `canceled` and every other status end access at once. Pure, times in Unix ms.
 */
import { DAY_MS } from "./cloud-access-window";

/** Matches the retry window configured in Stripe (Billing → Revenue recovery → Retries: 2 weeks). */
export const PAYMENT_GRACE_DAYS = 14;

/** The Stripe statuses in which Stripe is still trying to collect and access continues. */
export const GRACE_STRIPE_STATUSES = ["past_due"] as const;

/**
 * When grace for this snapshot ends, or null when the status grants no grace. Derived from the
 * snapshot alone (the unpaid period's start), so every delivery of any event computes the same end.
 */
export function paymentGraceEndsAt(stripeStatus: string, period: { startMs: number; endMs: number } | null): number | null {
  if (!(GRACE_STRIPE_STATUSES as readonly string[]).includes(stripeStatus) || !period) return null;
  return Math.min(period.startMs + PAYMENT_GRACE_DAYS * DAY_MS, period.endMs);
}

/**
 * `unpaid`: Stripe gave up collecting the current period. No entitlement covers any of that period,
 * so access ends at its start; a time taken from the snapshot, not from the read, so every delivery
 * writes the same rows (ADR 008). The grace the customer had in it was a courtesy (the audit rows
 * keep when it was past_due).
 */
export function unpaidEndsAt(stripeStatus: string, period: { startMs: number; endMs: number } | null): number | null {
  return stripeStatus === "unpaid" && period ? period.startMs : null;
}
