/**
 * What a camera's plan lets its owner do with events (ADR 016), and the per-camera AI budget.
 * Pure constants and rules; the costs are in ADR 016.
 *
 * - Events themselves (time, type, snapshot) are part of the cloud history: visible inside the
 *   owner's window (cloud-access-window.ts), so the trial shows them too.
 * - Descriptions and daily summaries need `ai_summary`; search needs `smart_search`. The catalogue
 *   grants both on every paid cloud plan and neither on Local or the trial (plans.ts).
 */
import { entitlementInForce } from "./entitlement";
import { CLOUD_PLANS, type CloudPlan, type EntitlementKey } from "./plans";

export type EventFeature = Extract<EntitlementKey, "ai_summary" | "smart_search">;

/** Whether any of the owner's entitlements on the camera grants `feature` now. */
export function featureInForce(
  entitlements: readonly { key: string; status: string; startsAt?: number | null; expiresAt: number | null }[],
  feature: EventFeature,
  now: number,
) {
  return entitlements.some((e) => e.key === feature && entitlementInForce(e, now));
}

/** The cheapest plan one can buy that grants `feature` (what the upgrade prompt names). */
export function cheapestPlanWith(feature: EventFeature): CloudPlan {
  const plans = CLOUD_PLANS.filter((p) => p.purchasable && p.grants.some((g) => g.key === feature)).sort((a, b) => a.priceCents - b.priceCents);
  if (!plans[0]) throw new Error(`no plan grants ${feature}`);
  return plans[0];
}

/** Vision-model descriptions per camera per UTC day; events past it keep their labels only. */
export const AI_DESCRIPTIONS_PER_CAMERA_PER_DAY = 150;
/** Text-model summaries per camera per UTC day (a day still running is re-summarised as events come in). */
export const AI_SUMMARIES_PER_CAMERA_PER_DAY = 12;
/** A caption is one sentence. */
export const DESCRIPTION_MAX_TOKENS = 48;
export const SUMMARY_MAX_TOKENS = 120;
/** A day's summary is written from at most this many events (the newest). */
export const SUMMARY_MAX_EVENTS = 150;
/** The picture handed to the vision model (and kept as the thumbnail), 16:9. */
export const SNAPSHOT_WIDTH = 640;
export const SNAPSHOT_HEIGHT = 360;

/** "YYYY-MM-DD" (UTC) of `ms`: the budget's day. */
export const budgetDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
