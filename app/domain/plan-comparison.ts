/**
 * The cloud-recording plans side by side (issue #16 §2), read from the catalogue only: history,
 * AI descriptions, search and price per month, the free trial told with its real numbers, the plan
 * we recommend, and which rows the signed-in customer's cameras are on. Pure.
 */
import { CLOUD_PLANS, CLOUD_TRIAL, RECOMMENDED_CLOUD_PLAN, type CloudPlanCode } from "./plans";

/** "trial" is the free trial's row; the rest are CLOUD_PLANS codes. */
export type ComparedPlanCode = CloudPlanCode | "trial";

export interface ComparedPlan {
  code: ComparedPlanCode;
  /** The store page of a plan; null for the trial (granted, never sold or listed). */
  sku: string | null;
  name: string;
  /** Days of cloud history (1 = 24 hours); 0 = none. */
  historyDays: number;
  aiSummaries: boolean;
  smartSearch: boolean;
  /** Per month; 0 for Local and the trial. */
  priceCents: number;
  currency: string;
  /** The trial's length in days (only on the trial row). */
  freeForDays: number | null;
  purchasable: boolean;
  recommended: boolean;
}

const grants = (g: readonly { key: string }[], key: string) => g.some((x) => x.key === key);

export function comparedPlans(): ComparedPlan[] {
  const trialDays = CLOUD_TRIAL.grants.find((g) => g.key === "cloud_playback")?.quota ?? 0;
  const trial: ComparedPlan = {
    code: "trial",
    sku: null,
    name: CLOUD_TRIAL.name,
    historyDays: trialDays,
    aiSummaries: grants(CLOUD_TRIAL.grants, "ai_summary"),
    smartSearch: grants(CLOUD_TRIAL.grants, "smart_search"),
    priceCents: 0,
    currency: CLOUD_TRIAL.currency,
    freeForDays: CLOUD_TRIAL.durationDays,
    purchasable: false,
    recommended: false,
  };
  const plans = CLOUD_PLANS.map((p): ComparedPlan => ({
    code: p.code,
    sku: p.sku,
    name: p.name,
    historyDays: p.historyDays,
    aiSummaries: grants(p.grants, "ai_summary"),
    smartSearch: grants(p.grants, "smart_search"),
    priceCents: p.priceCents,
    currency: p.currency,
    freeForDays: null,
    purchasable: p.purchasable,
    recommended: p.code === RECOMMENDED_CLOUD_PLAN,
  }));
  // Local first, then the trial every new camera starts on, then the paid plans.
  return [plans[0], trial, ...plans.slice(1)];
}

/**
 * Which compared rows the customer's cameras are on, with the cameras' labels: a device's plan code
 * is a CLOUD_PLANS code, "trial" or "local" (app/domain/device-status).
 */
export function currentPlanMarks(devices: readonly { label: string; planCode: string }[]): Partial<Record<ComparedPlanCode, string[]>> {
  const codes = new Set<string>(comparedPlans().map((p) => p.code));
  const marks: Partial<Record<ComparedPlanCode, string[]>> = {};
  for (const d of devices) {
    if (!codes.has(d.planCode)) continue;
    const code = d.planCode as ComparedPlanCode;
    (marks[code] ??= []).push(d.label);
  }
  return marks;
}

/** "24 hours", "7 days", or null for no cloud history. */
export function historyPhrase(days: number): string | null {
  return days <= 0 ? null : days === 1 ? "24 hours" : `${days} days`;
}

/** The free trial told honestly, from the catalogue: "30 days free, 24 hours of cloud history". */
export function trialSummary(): string {
  const days = CLOUD_TRIAL.grants.find((g) => g.key === "cloud_playback")?.quota ?? 0;
  return `${CLOUD_TRIAL.durationDays} days free, ${historyPhrase(days) ?? "no"} of cloud history`;
}
