/**
 * What the services page says about a plan, in words derived from the rules (ADR 017, ADR 018), in
 * the served language (the caller passes the "services" translator: useT in a component,
 * translatorFor on the server). Dates through Intl.
 */
import type { _Translator } from "use-intl/core";
import type { Messages } from "~/i18n/en";
import type { voiceTierFacts } from "~/domain/plans";
import { formatDate } from "./format";

/** The "services" catalogue's translator, the same type from useT("services") and translatorFor(…, "services"). */
export type ServicesT = _Translator<Messages, "services">;

/** A plan's name as people read it: Local and the free trial are words, the paid plans keep their names. */
export function planDisplayName(plan: { code?: string | null; name: string }, t: ServicesT): string {
  if (plan.code === "local") return t("planName.local");
  if (plan.code === "trial") return t("planName.trial");
  return plan.name;
}

/** What happens next to the one plan a camera is on (ADR 018: never a silent fallback to the trial). */
export function renewalText(
  plan: {
    source: string;
    status: string;
    currentPeriodEnd: number | null;
    cancelAtPeriodEnd: boolean;
    cancelAt: number | null;
    stripeStatus?: string | null;
    cancelledPlan?: { name: string } | null;
  },
  locale: string,
  t: ServicesT,
): string {
  const d = (ms: number) => formatDate(ms, locale);
  if (plan.source === "none") return "—";
  if (plan.source === "trial") {
    const end = plan.currentPeriodEnd;
    if (!plan.cancelledPlan) return end ? t("renewal.trialEnds", { date: d(end) }) : "—";
    const name = plan.cancelledPlan.name;
    return end ? t("renewal.cancelledTrialEnds", { plan: name, date: d(end) }) : t("renewal.cancelled", { plan: name });
  }
  if (plan.status === "INACTIVE") return t("renewal.failed");
  const cancelAt = plan.cancelAt ?? (plan.cancelAtPeriodEnd ? plan.currentPeriodEnd : null);
  if (cancelAt) return t("renewal.cancelsOn", { date: d(cancelAt) });
  if (plan.stripeStatus === "trialing" && plan.currentPeriodEnd) return t("renewal.freeUntil", { date: d(plan.currentPeriodEnd) });
  return plan.currentPeriodEnd ? t("renewal.renewsOn", { date: d(plan.currentPeriodEnd) }) : "—";
}

/** The grace policy in words (ADR 017): Stripe's next retry, what the card keeps, and until when. */
export function paymentProblemText(
  p: { retrying: boolean; retryAt: number | null; graceEndsAt: number | null; historyDays: number | null; name: string },
  locale: string,
  t: ServicesT,
): string {
  const keep = p.historyDays ? t("paymentProblem.keepDays", { days: p.historyDays }) : p.name;
  if (!p.retrying) return t("paymentProblem.stopped", { plan: p.name, keep });
  const retry = p.retryAt ? t("paymentProblem.retryOn", { date: formatDate(p.retryAt, locale), keep }) : t("paymentProblem.retrySoon", { keep });
  const until = p.graceEndsAt ? t("paymentProblem.staysOn", { date: formatDate(p.graceEndsAt, locale) }) : "";
  return retry + until;
}

/** A cloud plan's lines, from its facts (the catalogue's English `features` say the same: test/unit/services-copy.test.ts). */
export function cloudPlanFeatures(p: { historyDays: number; aiSummaries: boolean; smartSearch: boolean }, t: ServicesT): string[] {
  const lines: string[] = [];
  if (p.historyDays === 1) lines.push(t("features.history24h"));
  else if (p.historyDays > 1) lines.push(t("features.historyDays", { days: p.historyDays }));
  if (p.aiSummaries) lines.push(t("features.ai"));
  if (p.smartSearch) lines.push(t("features.search"));
  return lines;
}

/** A voice tier's lines, from the rules the studio enforces (test/unit/voice-tier-promises.test.ts matches the English ones to them). */
export function voiceTierFeatures(v: ReturnType<typeof voiceTierFacts>, t: ServicesT): string[] {
  const lines = [
    v.monthlyGenerations === null ? t("features.unlimited") : t("features.generations", { count: v.monthlyGenerations }),
    v.allPresets ? t("features.allPresets", { count: v.presetCount }) : t("features.presets", { count: v.presetCount }),
  ];
  if (v.slidersUnlocked) lines.push(t("features.sliders"));
  if (v.advancedControls) lines.push(t("features.speakerBoost"));
  if (v.customPresets) lines.push(t("features.customPresets"));
  if (v.voiceCloning) lines.push(t("features.cloning"));
  return lines;
}
