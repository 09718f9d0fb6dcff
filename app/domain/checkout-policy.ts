/**
 * Who may start which Checkout, and what to do about a second one (ADR 008). Pure: the billing
 * use-cases read the facts (plan, ownership, live subscriptions, re-read Checkout Sessions), call a
 * decision here, then act on it. No I/O.
 */
import {
  cloudPlanByCode,
  productBySku,
  voiceTierByCode,
  type CatalogProduct,
  type CloudPlan,
  type VoiceTier,
  type VoiceTierCode,
} from "./plans";
import { isLiveStatus } from "./subscription-status";

// TODO(#10 billing): refusals here still carry HTTP statuses and sentences; the billing conversion removes them.
export type Refusal<E extends string> = { ok: false; error: E; status: number; message: string };

const refuse = <E extends string>(error: E, status: number, message: string): Refusal<E> => ({ ok: false, error, status, message });

// ---------------------------------------------------------------------------------------------
// Voice tiers

const TIER_RANK: Record<VoiceTierCode, number> = { FREE: 0, BASIC: 1, PREMIUM: 2 };

/** FREE < BASIC < PREMIUM; anything that isn't a tier code ranks as FREE. */
export function voiceTierRank(code: string): number {
  return Object.hasOwn(TIER_RANK, code) ? TIER_RANK[code as VoiceTierCode] : 0;
}

/** The best of the given tiers (FREE when there are none). */
export function highestVoiceTier(codes: Iterable<string>): VoiceTierCode {
  let best: VoiceTierCode = "FREE";
  for (const c of codes) if (voiceTierRank(c) > voiceTierRank(best)) best = c as VoiceTierCode;
  return best;
}

// ---------------------------------------------------------------------------------------------
// Starting a checkout

/** A catalogue entry that has a Stripe price (narrowed, so callers never index prices with null). */
type Priced<T> = T & { stripePriceKey: string };

export type CloudCheckoutDecision =
  | { ok: true; plan: Priced<CloudPlan> }
  | Refusal<"plan_not_purchasable" | "not_found" | "already_subscribed_use_billing_portal">;

export const ALREADY_SUBSCRIBED_EXTRA = { billingPortalUrl: "/account/services" } as const;

/**
 * A cloud plan for one device. Order matters: an unbuyable plan is refused for any device (no
 * ownership is revealed); someone else's device, an ownership id or a made-up id are all "no such
 * device"; a live Stripe plan on the device (ACTIVE or INACTIVE) is changed in the portal instead.
 */
export function decideCloudCheckout(f: { planCode: string; deviceOwned: boolean; livePaidPlan: boolean }): CloudCheckoutDecision {
  const plan = cloudPlanByCode(f.planCode);
  if (!plan || !plan.purchasable || !plan.stripePriceKey) {
    return refuse("plan_not_purchasable", 400, "That plan can't be bought. The Local plan is free and needs no subscription.");
  }
  if (!f.deviceOwned) return refuse("not_found", 404, "No such device.");
  if (f.livePaidPlan) {
    return refuse("already_subscribed_use_billing_portal", 409, "This camera already has a paid plan. Change or cancel it in the billing portal.");
  }
  return { ok: true, plan: plan as Priced<CloudPlan> };
}

export type VoiceCheckoutDecision = { ok: true; tier: Priced<VoiceTier> } | Refusal<"plan_not_purchasable" | "already_subscribed_use_billing_portal">;

/**
 * A voice tier for the user. Any live voice subscription (whatever its tier) sends the customer to
 * the portal: upgrades and downgrades happen there, so nobody pays for two tiers at once.
 */
export function decideVoiceCheckout(f: { tierCode: string; heldTiers: readonly string[] }): VoiceCheckoutDecision {
  const tier = voiceTierByCode(f.tierCode);
  if (!tier || !tier.stripePriceKey) {
    return refuse("plan_not_purchasable", 400, "That voice tier can't be bought. Voice Free needs no subscription.");
  }
  if (voiceTierRank(highestVoiceTier(f.heldTiers)) > 0) {
    return refuse("already_subscribed_use_billing_portal", 409, "You already have a voice subscription. Change your tier in the billing portal.");
  }
  return { ok: true, tier: tier as Priced<VoiceTier> };
}

export type ProductCheckoutDecision = { ok: true; product: Priced<CatalogProduct> } | Refusal<"not_found" | "product_not_purchasable">;

/** Hardware and SIM plans only; plans and tiers are bought from Account › Services. */
export function decideProductCheckout(f: { sku: string }): ProductCheckoutDecision {
  const product = productBySku(f.sku);
  if (!product || !product.listed) return refuse("not_found", 404, "No such product.");
  if ((product.kind !== "hardware" && product.kind !== "sim_plan") || !product.stripePriceKey) {
    return refuse("product_not_purchasable", 400, "Plans are bought from Account › Services, for a camera.");
  }
  return { ok: true, product: product as Priced<CatalogProduct> };
}

// ---------------------------------------------------------------------------------------------
// A second checkout for the same thing

/** An open session with less time than this left is not handed out again (the buyer needs time to pay). */
export const REUSE_MIN_REMAINING_MS = 10 * 60 * 1000;

/** The fields of a re-read Checkout Session that decide whether it can be handed out again. */
export interface CheckoutSessionFacts {
  id: string;
  mode: string | null;
  status: string | null;
  url: string | null;
  /** Unix seconds, as Stripe sends it. */
  expires_at: number | null;
  metadata: Record<string, string> | null;
}

/**
 * The open session (newest first in `sessions`) that is exactly the checkout being asked for: same
 * mode and the same metadata (user, type, device, plan/tier), still payable for a while. Handing it
 * out again means two tabs pay one session instead of two. null = start a new one.
 */
export function reusableCheckoutSession<S extends CheckoutSessionFacts>(
  sessions: readonly S[],
  wanted: { mode: string; metadata: Readonly<Record<string, string>> },
  nowMs: number,
): S | null {
  for (const s of sessions) {
    if (s.status !== "open" || !s.url || s.mode !== wanted.mode) continue;
    if (typeof s.expires_at !== "number" || s.expires_at * 1000 - nowMs < REUSE_MIN_REMAINING_MS) continue;
    if (!sameMetadata(s.metadata ?? {}, wanted.metadata)) continue;
    return s;
  }
  return null;
}

function sameMetadata(have: Readonly<Record<string, string>>, want: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(want);
  return keys.length > 0 && keys.length === Object.keys(have).length && keys.every((k) => Object.hasOwn(have, k) && have[k] === want[k]);
}

/**
 * A paid subscription that has just become live while another one for the same target (a device's
 * cloud plan, a user's voice tier) already is: the customer is paying twice. Returns the ids of the
 * subscriptions it duplicates, or [] when it is not a new duplicate.
 *
 * `rows` are the local rows for the target plus the incoming subscription's own previous row, if
 * any. Only the transition into "live" counts, so re-applying the same state (retries, renewals,
 * the success page and the webhook both applying) reports the incident once; the subscription that
 * was live first is the original and is never reported.
 */
export function paidTwice(
  incoming: { externalId: string; status: string },
  rows: readonly { externalId: string; status: string }[],
): string[] {
  if (!isLiveStatus(incoming.status)) return [];
  const previous = rows.find((r) => r.externalId === incoming.externalId);
  if (previous && isLiveStatus(previous.status)) return [];
  return rows.filter((r) => r.externalId !== incoming.externalId && isLiveStatus(r.status)).map((r) => r.externalId);
}
