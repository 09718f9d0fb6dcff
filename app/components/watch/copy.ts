/**
 * What the device page says about history, in the customer's words (plan names and days from the
 * catalogue, never typed in): why the history stops where it does, and why a locked moment is
 * locked. Used by the loader and by the timeline in the browser alike.
 */
import type { PlaybackQuota } from "~/domain/cloud-access-window";
import { DAY_MS, MAX_CLIP_SPAN_MS } from "~/domain/cloud-access-window";
import { CLOUD_PLANS, cloudPlanByCode } from "~/domain/plans";
import type { LockReason } from "~/domain/timeline";

const HOUR_MS = 3_600_000;

/** "24 hours": what one clip request may cover, in the page's words. */
export const CLIP_SPAN_TEXT = `${MAX_CLIP_SPAN_MS / HOUR_MS} hours`;

export function daysText(days: number): string {
  return days === 1 ? `${DAY_MS / HOUR_MS} hours` : `${days} days`;
}

/** The plan with the longest history, the one that shows most ("see 30 with Premium"). */
function longestPlan() {
  return [...CLOUD_PLANS].sort((a, b) => b.historyDays - a.historyDays)[0];
}

function biggerDays(quota: PlaybackQuota): number[] {
  return [...new Set(CLOUD_PLANS.map((p) => p.historyDays).filter((d) => d > quota.days))].sort((a, b) => a - b);
}

function planName(quota: PlaybackQuota): string | undefined {
  return quota.planCode ? cloudPlanByCode(quota.planCode)?.name : undefined;
}

/** Why the history stops where it does (the note above the timeline). `ownedSince` is already formatted. */
export function historyReason(quota: PlaybackQuota | null, limitedBy: "plan" | "ownership" | null, ownedSince: string): { text: string; upgrade: boolean } {
  if (!quota) return { text: "This camera has no cloud plan, so no history is kept for you. Live view still works.", upgrade: true };
  const bigger = biggerDays(quota);
  let planText: string;
  if (quota.source === "trial") {
    planText = `Your free trial keeps ${daysText(quota.days)}${bigger.length ? ` — choose a plan to see up to ${bigger[bigger.length - 1]} days` : ""}.`;
  } else {
    const name = planName(quota);
    planText = `${name ? `Your ${name} plan` : "Your plan"} keeps ${daysText(quota.days)}${bigger.length ? ` — upgrade to see ${bigger.join(" or ")} days` : ""}.`;
  }
  if (limitedBy === "ownership") {
    // The tighter bound first; the plan still says how far back history will reach with time.
    return { text: `Footage from before ${ownedSince} isn't shown: that's before you owned this camera. ${planText}`, upgrade: bigger.length > 0 };
  }
  return { text: planText, upgrade: bigger.length > 0 };
}

/** Why a locked stretch of the timeline is locked, per reason ("your Standard plan keeps 7 days — see 30 with Premium"). */
export function lockTexts(quota: PlaybackQuota | null, ownedSince: string): Record<LockReason, string> {
  const top = longestPlan();
  const more = quota && top.historyDays > quota.days ? ` — see ${top.historyDays} with ${top.name}` : "";
  const kept = !quota
    ? ""
    : quota.source === "trial"
      ? `Your free trial keeps ${daysText(quota.days)}${more}.`
      : `Your ${planName(quota) ?? ""} plan keeps ${daysText(quota.days)}${more}.`.replace("Your  plan", "Your plan");
  return {
    before_ownership: `Locked: before you owned this camera (it's yours since ${ownedSince}).`,
    plan_limit: `Locked: ${kept.charAt(0).toLowerCase()}${kept.slice(1)}`,
    no_plan: `Locked: this camera has no cloud plan, so no history is kept — choose one to see up to ${top.historyDays} days.`,
  };
}
