/**
 * Who may start which Checkout, and what to do about a second one (ADR 008). Pure: the billing
 * use-cases read the facts (plan, ownership, live subscriptions, re-read Checkout Sessions), call a
 * decision here, then act on it. No I/O.
 */
import {
  CLOUD_PLANS,
  cloudPlanByCode,
  productBySku,
  VOICE_TIERS,
  voiceTierByCode,
  withLegacySkus,
  type CatalogProduct,
  type CloudPlan,
  type VoiceTier,
  type VoiceTierCode,
} from "./plans";
import { refuse, type Refusal } from "./result";
import { isLiveStatus } from "./subscription-status";

/** What a subscription checkout is for: a camera's cloud plan or the user's voice tier. */
export type SubscriptionKind = "cloud" | "voice";

/** The `checkoutType` metadata our Checkout Sessions carry, read back by the webhook. */
export const CHECKOUT_TYPES = {
  cloud: "cloud_storage_subscription",
  voice: "voice_tier_subscription",
  product: "product_purchase",
} as const;

/** Where hardware and SIMs ship to (Checkout's address form only offers these). */
export const SHIPPING_COUNTRIES = ["US", "CA"] as const;

/** Stripe's minimum is 30 minutes; an hour keeps the paid-for device the one the buyer owns. */
export const CHECKOUT_EXPIRY_SECONDS = 60 * 60;

/** The skus of the plans and tiers sold as Stripe subscriptions (from the catalogue). */
// With the legacy aliases (ADR 021): a row an old instance wrote during the rename still counts.
export const CLOUD_SUBSCRIPTION_SKUS: readonly string[] = withLegacySkus(CLOUD_PLANS.filter((p) => p.purchasable).map((p) => p.sku));
export const VOICE_SUBSCRIPTION_SKUS: readonly string[] = VOICE_TIERS.filter((t) => t.stripePriceKey).map((t) => t.sku);

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

type NotPurchasable = Refusal<"plan_not_purchasable", { kind: SubscriptionKind }>;
type AlreadySubscribed = Refusal<"already_subscribed_use_billing_portal", { kind: SubscriptionKind }>;

export type CloudCheckoutDecision = { ok: true; plan: Priced<CloudPlan> } | NotPurchasable | Refusal<"not_found", { subject: "device" }> | AlreadySubscribed;

/**
 * A cloud plan for one device. Order matters: an unbuyable plan is refused for any device (no
 * ownership is revealed); someone else's device, an ownership id or a made-up id are all "no such
 * device"; a live Stripe plan on the device (ACTIVE or INACTIVE) is changed in the portal instead.
 */
export function decideCloudCheckout(f: { planCode: string; deviceOwned: boolean; livePaidPlan: boolean }): CloudCheckoutDecision {
  const plan = cloudPlanByCode(f.planCode);
  if (!plan || !plan.purchasable || !plan.stripePriceKey) {
    return refuse("plan_not_purchasable", { kind: "cloud" as const });
  }
  if (!f.deviceOwned) return refuse("not_found", { subject: "device" as const });
  if (f.livePaidPlan) return refuse("already_subscribed_use_billing_portal", { kind: "cloud" as const });
  return { ok: true, plan: plan as Priced<CloudPlan> };
}

export type VoiceCheckoutDecision = { ok: true; tier: Priced<VoiceTier> } | NotPurchasable | AlreadySubscribed;

/**
 * A voice tier for the user. Any live voice subscription (whatever its tier) sends the customer to
 * the portal: upgrades and downgrades happen there, so nobody pays for two tiers at once.
 */
export function decideVoiceCheckout(f: { tierCode: string; heldTiers: readonly string[] }): VoiceCheckoutDecision {
  const tier = voiceTierByCode(f.tierCode);
  if (!tier || !tier.stripePriceKey) {
    return refuse("plan_not_purchasable", { kind: "voice" as const });
  }
  if (voiceTierRank(highestVoiceTier(f.heldTiers)) > 0) return refuse("already_subscribed_use_billing_portal", { kind: "voice" as const });
  return { ok: true, tier: tier as Priced<VoiceTier> };
}

export type ProductCheckoutDecision =
  { ok: true; product: Priced<CatalogProduct> } | Refusal<"not_found", { subject: "product" }> | Refusal<"product_not_purchasable">;

/** Hardware and SIM plans only; plans and tiers are bought from Account › Services. */
export function decideProductCheckout(f: { sku: string }): ProductCheckoutDecision {
  const product = productBySku(f.sku);
  if (!product || !product.listed) return refuse("not_found", { subject: "product" as const });
  if ((product.kind !== "hardware" && product.kind !== "sim_plan") || !product.stripePriceKey) return refuse("product_not_purchasable");
  return { ok: true, product: product as Priced<CatalogProduct> };
}

// ---------------------------------------------------------------------------------------------
// A second checkout for the same thing

/** An open session with less time than this left is not handed out again (the buyer needs time to pay). */
export const REUSE_MIN_REMAINING_MS = 10 * 60 * 1000;

/** How many of a user's recent checkouts for the same thing are re-read when looking for an open one. */
export const MAX_REUSE_CANDIDATES = 3;

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
export function paidTwice(incoming: { externalId: string; status: string }, rows: readonly { externalId: string; status: string }[]): string[] {
  if (!isLiveStatus(incoming.status)) return [];
  const previous = rows.find((r) => r.externalId === incoming.externalId);
  if (previous && isLiveStatus(previous.status)) return [];
  return rows.filter((r) => r.externalId !== incoming.externalId && isLiveStatus(r.status)).map((r) => r.externalId);
}
