/**
 * A cloud plan bought during the camera's free trial starts billing when the trial ends (ADR 018):
 * Checkout's `subscription_data.trial_end` is the trial's end. Stripe refuses a `trial_end` less
 * than 48 hours in the future, so inside the trial's last two days billing starts 48 hours (plus a
 * margin for clocks) after checkout instead: the customer gets up to two days more free, and is
 * never charged for a day the trial already covered. Pure, times in Unix ms.
 */
import type { TrialState } from "./device-status";

/** Stripe: `trial_end` "has to be at least 48 hours in the future". */
export const STRIPE_MIN_TRIAL_LEAD_MS = 48 * 60 * 60 * 1000;
/** Our clock and Stripe's may differ a little; never ask for exactly the minimum. */
export const TRIAL_END_MARGIN_MS = 10 * 60 * 1000;

/**
 * When the first charge of a plan bought now should be (Unix seconds, for `trial_end`), or null
 * when the camera has no trial running: then Checkout charges at once, as for any purchase.
 */
export function firstChargeAt(trialExpiresAtMs: number | null, nowMs: number): number | null {
  if (trialExpiresAtMs === null || trialExpiresAtMs <= nowMs) return null;
  const earliest = nowMs + STRIPE_MIN_TRIAL_LEAD_MS + TRIAL_END_MARGIN_MS;
  return Math.ceil(Math.max(trialExpiresAtMs, earliest) / 1000);
}

/** `firstChargeAt` for a camera's trial as its status describes it: only a running trial defers the first charge. */
export function firstChargeForTrial(trial: TrialState, nowMs: number): number | null {
  return firstChargeAt(trial.state === "active" ? trial.expiresAt : null, nowMs);
}
