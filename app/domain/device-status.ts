/**
 * What a device's owner is on: trial state, current cloud plan and how far back they may watch.
 * Pure, so the device list, the device page and the API all say the same thing, and the history
 * days come from the same rule the playback gate uses (resolvePlaybackQuota).
 */
import { resolvePlaybackQuota, type EntitlementLike } from "./cloud-access-window";
import { daysLeft } from "./device-ownership";
import { entitlementInForce } from "./entitlement";
import { paymentGraceEndsAt } from "./payment-grace";
import { isLiveStatus } from "./subscription-status";
import { CLOUD_TRIAL, LOCAL_PLAN, cloudPlanByCode } from "./plans";

export interface SubscriptionFacts {
  id: string;
  sku: string;
  planCode: string | null;
  status: string;
  currentPeriodEnd: number | null;
  /** The billing period's start, for the payment grace's end (ADR 017); absent = unknown. */
  currentPeriodStart?: number | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: number | null;
  updatedAt: number;
  /** Stripe's own status (`trialing`: bought during the camera trial, billing starts at its end). */
  stripeStatus?: string | null;
  endedAt?: number | null;
}

/**
 * `superseded`: the trial's days still run underneath a live paid plan, which is the camera's one
 * plan in everything shown (no "Trial active, 30 days left" beside "Standard"); `expiresAt` stays so
 * a plan ending before it can say the trial carries on (plan-outlook).
 */
export type TrialState =
  | { state: "active"; expiresAt: number; daysLeft: number }
  | { state: "superseded"; expiresAt: number; byPlan: string }
  | { state: "used" }
  | { state: "available" };

export interface PlanState {
  code: string;
  name: string;
  status: string;
  source: "trial" | "stripe" | "none";
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: number | null;
  subscriptionId: string | null;
  stripeStatus: string | null;
  /** A failed payment Stripe is still retrying (past_due): when access ends unless it is paid (ADR 017). */
  graceEndsAt: number | null;
  /**
   * On the trial: the paid plan that was cancelled during it, so the page says what happened and
   * what comes next instead of silently showing the trial again (ADR 018).
   */
  cancelledPlan: { name: string; endedAt: number | null } | null;
}

export interface DeviceStatus {
  trial: TrialState;
  plan: PlanState;
  historyDays: number;
}

/** The catalogue's name for a subscription's plan (one source), else its sku. */
const planNameOf = (s: Pick<SubscriptionFacts, "planCode" | "sku">) => cloudPlanByCode(s.planCode ?? "")?.name ?? s.sku;

/** Whether the trial's days are still running (shown or under a paid plan), and until when. */
export function trialRunsUntil(trial: TrialState): number | null {
  return trial.state === "active" || trial.state === "superseded" ? trial.expiresAt : null;
}

/**
 * @param trialUsed the device has had its once-ever trial
 * @param stripeSubscriptions this owner's Stripe cloud subscriptions on the device
 * @param entitlements this owner's cloud_playback entitlements on the device (any status)
 */
export function deviceStatus(f: {
  trialUsed: boolean;
  stripeSubscriptions: readonly SubscriptionFacts[];
  entitlements: readonly EntitlementLike[];
  now: number;
}): DeviceStatus {
  const trialEnt = f.entitlements.find((e) => e.source === "trial" && e.key === "cloud_playback" && entitlementInForce(e, f.now) && e.expiresAt !== null);
  const liveSub = [...f.stripeSubscriptions].sort((a, b) => b.updatedAt - a.updatedAt).find((s) => isLiveStatus(s.status)) ?? null;
  const paidName = liveSub ? planNameOf(liveSub) : null;
  // A live paid plan supersedes the trial: its days run on underneath, but it is not "active" to show.
  const trial: TrialState = trialEnt
    ? paidName !== null
      ? { state: "superseded", expiresAt: trialEnt.expiresAt!, byPlan: paidName }
      : { state: "active", expiresAt: trialEnt.expiresAt!, daysLeft: daysLeft(trialEnt.expiresAt!, f.now) }
    : f.trialUsed
      ? { state: "used" }
      : { state: "available" };
  let plan: PlanState;
  if (liveSub) {
    plan = {
      code: liveSub.planCode ?? "unknown",
      name: paidName ?? liveSub.sku,
      status: liveSub.status,
      source: "stripe",
      currentPeriodEnd: liveSub.currentPeriodEnd,
      cancelAtPeriodEnd: liveSub.cancelAtPeriodEnd,
      cancelAt: liveSub.cancelAt,
      subscriptionId: liveSub.id,
      stripeStatus: liveSub.stripeStatus ?? null,
      graceEndsAt:
        liveSub.stripeStatus && liveSub.currentPeriodStart != null && liveSub.currentPeriodEnd !== null
          ? paymentGraceEndsAt(liveSub.stripeStatus, { startMs: liveSub.currentPeriodStart, endMs: liveSub.currentPeriodEnd })
          : null,
      cancelledPlan: null,
    };
  } else if (trial.state === "active") {
    const cancelled = [...f.stripeSubscriptions].sort((a, b) => b.updatedAt - a.updatedAt).find((s) => s.status === "CANCELLED") ?? null;
    plan = {
      code: "trial",
      name: CLOUD_TRIAL.name,
      status: "ACTIVE",
      source: "trial",
      currentPeriodEnd: trial.expiresAt,
      cancelAtPeriodEnd: false,
      cancelAt: null,
      subscriptionId: null,
      stripeStatus: null,
      graceEndsAt: null,
      cancelledPlan: cancelled ? { name: planNameOf(cancelled), endedAt: cancelled.endedAt ?? null } : null,
    };
  } else {
    plan = {
      code: "local",
      name: LOCAL_PLAN.name,
      status: "NONE",
      source: "none",
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      cancelAt: null,
      subscriptionId: null,
      stripeStatus: null,
      graceEndsAt: null,
      cancelledPlan: null,
    };
  }
  return { trial, plan, historyDays: resolvePlaybackQuota(f.entitlements, f.now)?.days ?? 0 };
}
