/**
 * The one effective plan a camera is on and what happens next (issue #14 §3), decided once so the
 * device list and the device page say the same thing. Pure: it reads a DeviceStatus (the rules of
 * which plan wins are in ./device-status) and returns facts; app/lib/plan-outlook-copy words them.
 *
 * - `local`: no cloud plan, no cloud history.
 * - `trial`: the free trial; it ends on `endsAt`, then no cloud history. `cancelledPlan` names a
 *   plan bought and cancelled during it: the trial's own days still count (ADR 018), no silent fallback.
 * - `trial_then_plan`: a plan bought during the trial (Stripe `trialing`): free until `billingStartsAt`.
 * - `renews`: a paid plan renewing on `renewsAt`.
 * - `ends`: a plan cancelled for `endsAt` (`billed` false when it ends before its first charge);
 *   `then` is what the camera is on afterwards: the rest of the trial, or nothing.
 * - `payment_failed`: Stripe is retrying (`retrying`, access until `accessUntil`, ADR 017) or gave up.
 */
import { trialRunsUntil, type DeviceStatus } from "./device-status";

export type AfterPlan = { kind: "trial"; until: number } | { kind: "local" };

export type PlanOutlook =
  | { kind: "local" }
  | { kind: "trial"; endsAt: number; daysLeft: number; cancelledPlan: string | null }
  | { kind: "trial_then_plan"; planName: string; billingStartsAt: number }
  | { kind: "renews"; planName: string; renewsAt: number | null }
  | { kind: "ends"; planName: string; endsAt: number; billed: boolean; then: AfterPlan }
  | { kind: "payment_failed"; planName: string; retrying: boolean; accessUntil: number | null };

export function planOutlook(status: Pick<DeviceStatus, "trial" | "plan">): PlanOutlook {
  const { plan, trial } = status;
  if (plan.source === "none") return { kind: "local" };
  if (plan.source === "trial") {
    // The trial plan only exists while its entitlement is in force (deviceStatus), so trial is active.
    const endsAt = trial.state === "active" ? trial.expiresAt : (plan.currentPeriodEnd ?? 0);
    return { kind: "trial", endsAt, daysLeft: trial.state === "active" ? trial.daysLeft : 0, cancelledPlan: plan.cancelledPlan?.name ?? null };
  }
  const planName = plan.name;
  if (plan.status === "INACTIVE") {
    const retrying = plan.stripeStatus === "past_due";
    return { kind: "payment_failed", planName, retrying, accessUntil: retrying ? plan.graceEndsAt : null };
  }
  const trialing = plan.stripeStatus === "trialing";
  const endsAt = plan.cancelAt ?? (plan.cancelAtPeriodEnd ? plan.currentPeriodEnd : null);
  if (endsAt !== null) {
    // A trial that outlasts the plan carries on after it; otherwise the camera has no cloud plan.
    const trialUntil = trialRunsUntil(trial);
    const then: AfterPlan = trialUntil !== null && trialUntil > endsAt ? { kind: "trial", until: trialUntil } : { kind: "local" };
    return { kind: "ends", planName, endsAt, billed: !trialing, then };
  }
  if (trialing && plan.currentPeriodEnd !== null) return { kind: "trial_then_plan", planName, billingStartsAt: plan.currentPeriodEnd };
  return { kind: "renews", planName, renewsAt: plan.currentPeriodEnd };
}
