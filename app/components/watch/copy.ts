/**
 * What the device page says about history, in the customer's words (plan names and days from the
 * catalogue, never typed in): why the history stops where it does, and why a locked moment is
 * locked. The loader passes its request's translator (`translatorFor(request, "watch")`); without
 * one the words are English. Server and tests only (the browser's ClipForm takes the span from
 * ~/domain/cloud-access-window, so this English catalogue never ships to it).
 */
import { createTranslator } from "use-intl/core";
import type { PlaybackQuota } from "~/domain/cloud-access-window";
import { MAX_CLIP_SPAN_MS } from "~/domain/cloud-access-window";
import { CLOUD_PLANS, cloudPlanByCode } from "~/domain/plans";
import type { LockReason } from "~/domain/timeline";
import { watch } from "~/i18n/en/watch";
import type { translatorFor } from "~/i18n/i18n.server";

const HOUR_MS = 3_600_000;

/** A translator of the watch catalogue, in the served language. */
export type WatchT = ReturnType<typeof translatorFor<"watch">>;

// English by default (a caller that passes no translator), from the English catalogue alone.
const english = createTranslator({ locale: "en", messages: { watch }, namespace: "watch" }) as unknown as WatchT;

/** What one clip request may cover, in hours. */
export const CLIP_SPAN_HOURS = MAX_CLIP_SPAN_MS / HOUR_MS;

export function daysText(days: number, t: WatchT = english): string {
  return t("history.days", { days });
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
export function historyReason(
  quota: PlaybackQuota | null,
  limitedBy: "plan" | "ownership" | null,
  ownedSince: string,
  t: WatchT = english,
): { text: string; upgrade: boolean } {
  if (!quota) return { text: t("history.noPlan"), upgrade: true };
  const bigger = biggerDays(quota);
  const kept = daysText(quota.days, t);
  let planText: string;
  if (quota.source === "trial") {
    planText = bigger.length ? t("history.trialMore", { kept, days: bigger[bigger.length - 1] }) : t("history.trial", { kept });
  } else {
    const name = planName(quota);
    const days = bigger.length ? bigger.map(String).reduce((a, b) => t("history.or", { first: a, second: b })) : "";
    planText = name
      ? bigger.length
        ? t("history.planMore", { name, kept, days })
        : t("history.plan", { name, kept })
      : bigger.length
        ? t("history.anyPlanMore", { kept, days })
        : t("history.anyPlan", { kept });
  }
  if (limitedBy === "ownership") {
    // The tighter bound first; the plan still says how far back history will reach with time.
    return { text: t("history.ownership", { since: ownedSince, plan: planText }), upgrade: bigger.length > 0 };
  }
  return { text: planText, upgrade: bigger.length > 0 };
}

/** Why a locked stretch of the timeline is locked, per reason ("your Standard plan keeps 7 days — see 30 with Premium"). */
export function lockTexts(quota: PlaybackQuota | null, ownedSince: string, t: WatchT = english): Record<LockReason, string> {
  const top = longestPlan();
  let planLimit: string;
  if (!quota) planLimit = t("locks.noQuota");
  else {
    const more = top.historyDays > quota.days;
    const values = { kept: daysText(quota.days, t), days: top.historyDays, top: top.name };
    const name = quota.source === "trial" ? null : planName(quota);
    if (quota.source === "trial") planLimit = more ? t("locks.trialMore", values) : t("locks.trial", values);
    else if (name) planLimit = more ? t("locks.planMore", { ...values, name }) : t("locks.plan", { ...values, name });
    else planLimit = more ? t("locks.anyPlanMore", values) : t("locks.anyPlan", values);
  }
  return {
    before_ownership: t("locks.beforeOwnership", { since: ownedSince }),
    plan_limit: planLimit,
    no_plan: t("locks.noPlan", { days: top.historyDays }),
  };
}
