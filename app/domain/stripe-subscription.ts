/**
 * From a Stripe Subscription (plain JSON, as the SDK or a webhook returns it) to the local
 * Subscription and Entitlement rows. Pure: the webhook handler re-reads the subscription from
 * Stripe, calls this, and upserts the result; re-applying the same snapshot yields the same rows.
 *
 * Stripe times are Unix seconds; every `...Ms` field here is Unix milliseconds.
 * API version basil moved `current_period_start/end` from the Subscription onto its items
 * (docs.stripe.com/changelog/basil/2025-03-31/deprecate-subscription-current-period-start-and-end);
 * older payloads still carry them top-level, so both are read.
 */
import { paymentGraceEndsAt, unpaidEndsAt } from "./payment-grace";
import { CLOUD_PLANS, VOICE_TIERS, type CloudPlan, type EntitlementKey, type VoiceTier, type VoiceTierCode } from "./plans";
import type { SubscriptionStatus } from "./subscription-status";

/** What a Stripe snapshot maps to (EXPIRED is only ever written for trials, by the sweep). */
export type LocalStatus = Exclude<SubscriptionStatus, "EXPIRED">;

/** The fields we read. `Stripe.Subscription` (any API version) is assignable to it. */
export interface StripeSubscriptionLike {
  id: string;
  status: string;
  customer?: string | { id: string } | null;
  /** Pre-basil only. */
  current_period_start?: number | null;
  /** Pre-basil only. */
  current_period_end?: number | null;
  cancel_at_period_end?: boolean | null;
  cancel_at?: number | null;
  canceled_at?: number | null;
  ended_at?: number | null;
  metadata?: Record<string, string | null | undefined> | null;
  items?: { data?: readonly StripeSubscriptionItemLike[] | null } | null;
}

export interface StripeSubscriptionItemLike {
  price?: string | { id: string } | null;
  current_period_start?: number | null;
  current_period_end?: number | null;
}

export type ResolvedPlan = { kind: "cloud"; plan: CloudPlan } | { kind: "voice"; tier: VoiceTier };

export interface SubscriptionMetadata {
  userId?: string;
  deviceId?: string;
  planCode?: string;
  checkoutType?: string;
  tier?: string;
}

export interface LocalSubscription {
  stripeSubscriptionId: string;
  stripeCustomerId: string | null;
  status: LocalStatus;
  /** Stripe's own status string, kept for support and for `billingNotice`. */
  stripeStatus: string;
  periodStartMs: number | null;
  periodEndMs: number | null;
  cancelAtPeriodEnd: boolean;
  cancelAtMs: number | null;
  canceledAtMs: number | null;
  endedAtMs: number | null;
  /**
   * ACTIVE: period end. In payment grace (past_due, ADR 017): the grace end. unpaid: the start of
   * the unpaid period. Otherwise never later than `nowMs`: access stops immediately.
   */
  expiresAtMs: number;
  /** past_due within the grace window: still INACTIVE (billed, a payment problem) but its entitlements stay ACTIVE. */
  inGrace: boolean;
  /** When grace ends (past_due only), even if it already has; null for every other status. */
  graceEndsAtMs: number | null;
  /** The price id the plan was resolved from (first item), for logs and refusals. */
  priceId: string | null;
  /** null = price not in our catalogue: the caller must refuse, never guess. */
  plan: ResolvedPlan | null;
  metadata: SubscriptionMetadata;
}

export interface EntitlementRow {
  externalId: string;
  key: EntitlementKey;
  quota: number | null;
  status: "ACTIVE" | "EXPIRED";
  startsAtMs: number;
  expiresAtMs: number;
  deviceId: string | null;
  userId: string;
  source: "stripe";
  /** Product sku; for `voice_tier` the tier code. */
  sku: string;
}

export class ActiveWithoutPeriodError extends Error {
  readonly subscriptionId: string;
  constructor(subscriptionId: string) {
    super(`Stripe subscription ${subscriptionId} is active but has no current period`);
    this.subscriptionId = subscriptionId;
    this.name = "ActiveWithoutPeriodError";
  }
}

export function mapStripeStatus(status: string): LocalStatus {
  switch (status) {
    case "active":
    case "trialing":
      return "ACTIVE";
    case "canceled":
    case "incomplete_expired":
      return "CANCELLED";
    default:
      // past_due, unpaid, incomplete, paused and any status Stripe adds later: no access.
      return "INACTIVE";
  }
}

const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const secToMs = (v: unknown): number | null => (isTime(v) ? v * 1000 : null);

function periodOf(start: unknown, end: unknown): { startMs: number; endMs: number } | null {
  // A period that ends before it starts is not a period; treating it as one could write an
  // ACTIVE row that is already expired (or worse, guessed).
  if (!isTime(start) || !isTime(end) || end <= start) return null;
  return { startMs: start * 1000, endMs: end * 1000 };
}

/** Pre-basil top-level period when present, else the first item's (basil), else null. */
export function subscriptionPeriod(
  sub: Pick<StripeSubscriptionLike, "current_period_start" | "current_period_end" | "items">,
): { startMs: number; endMs: number } | null {
  const top = periodOf(sub.current_period_start, sub.current_period_end);
  if (top) return top;
  const item = sub.items?.data?.[0];
  return item ? periodOf(item.current_period_start, item.current_period_end) : null;
}

/** Matches a Stripe price id against the configured price ids (config key → price id). */
export function resolvePlan(priceId: string, prices: Record<string, string>): ResolvedPlan | null {
  // An empty id must never match an empty/unset config value.
  if (!priceId) return null;
  const matches = (key: string | null) => key !== null && Object.hasOwn(prices, key) && prices[key] === priceId;
  const plan = CLOUD_PLANS.find((p) => matches(p.stripePriceKey));
  if (plan) return { kind: "cloud", plan };
  const tier = VOICE_TIERS.find((t) => matches(t.stripePriceKey));
  if (tier) return { kind: "voice", tier };
  return null;
}

function itemPriceId(item: StripeSubscriptionItemLike | undefined): string | null {
  const p = item?.price;
  if (typeof p === "string") return p || null;
  return p && typeof p.id === "string" && p.id ? p.id : null;
}

function customerId(c: StripeSubscriptionLike["customer"]): string | null {
  if (typeof c === "string") return c || null;
  return c && typeof c.id === "string" && c.id ? c.id : null;
}

function readMetadata(raw: StripeSubscriptionLike["metadata"]): SubscriptionMetadata {
  const m = raw ?? {};
  // camelCase wins when both spellings are present; empty strings count as absent (Stripe
  // treats an empty metadata value as "unset").
  const pick = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = Object.hasOwn(m, k) ? m[k] : undefined;
      if (typeof v === "string" && v !== "") return v;
    }
    return undefined;
  };
  const out: SubscriptionMetadata = {};
  const fields: [keyof SubscriptionMetadata, string[]][] = [
    ["userId", ["userId", "user_id"]],
    ["deviceId", ["deviceId", "device_id"]],
    ["planCode", ["planCode", "plan_code"]],
    ["checkoutType", ["checkoutType", "checkout_type"]],
    ["tier", ["tier"]],
  ];
  for (const [field, keys] of fields) {
    const v = pick(...keys);
    if (v !== undefined) out[field] = v;
  }
  return out;
}

/**
 * What a subscription says about whose it is, read before anything else about it: the `userId` we
 * put in the Checkout metadata, and the Stripe customer. A subscription made elsewhere on the same
 * Stripe account (the Dashboard, another integration) may have neither that we know.
 */
export function subscriptionOwnerHints(sub: Pick<StripeSubscriptionLike, "customer" | "metadata">): { userId: string | null; customerId: string | null } {
  return { userId: readMetadata(sub.metadata).userId ?? null, customerId: customerId(sub.customer) };
}

/**
 * Decides the local Subscription row for a Stripe snapshot.
 * @throws ActiveWithoutPeriodError when Stripe says active/trialing but no period can be read:
 *   we never invent an expiry for a paying customer (and never write `now` as one).
 */
export function toLocalSubscription(sub: StripeSubscriptionLike, opts: { prices: Record<string, string>; nowMs: number }): LocalSubscription {
  if (typeof sub.id !== "string" || sub.id === "") throw new Error("Stripe subscription has no id");
  const status = mapStripeStatus(sub.status);
  const period = subscriptionPeriod(sub);
  const endedAtMs = secToMs(sub.ended_at);

  let expiresAtMs: number;
  const graceEndsAtMs = status === "INACTIVE" ? paymentGraceEndsAt(sub.status, period) : null;
  if (status === "ACTIVE") {
    if (!period) throw new ActiveWithoutPeriodError(sub.id);
    expiresAtMs = period.endMs;
  } else if (graceEndsAtMs !== null) {
    // Stripe is still retrying: access runs to the grace end (and stopped there if that is past).
    expiresAtMs = Math.min(graceEndsAtMs, endedAtMs ?? Infinity);
  } else {
    // Not paying (any more): the entitlement stops now, or earlier if Stripe says so.
    // unpaid: at the start of the period Stripe gave up on, whenever it is read (ADR 017).
    const unpaidEnd = unpaidEndsAt(sub.status, period);
    expiresAtMs = Math.min(unpaidEnd ?? opts.nowMs, period?.endMs ?? Infinity, endedAtMs ?? Infinity);
  }
  const inGrace = graceEndsAtMs !== null && expiresAtMs > opts.nowMs;

  const priceId = itemPriceId(sub.items?.data?.[0]);
  return {
    stripeSubscriptionId: sub.id,
    stripeCustomerId: customerId(sub.customer),
    status,
    stripeStatus: sub.status,
    periodStartMs: period?.startMs ?? null,
    periodEndMs: period?.endMs ?? null,
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    cancelAtMs: secToMs(sub.cancel_at),
    canceledAtMs: secToMs(sub.canceled_at),
    endedAtMs,
    expiresAtMs,
    inGrace,
    graceEndsAtMs,
    priceId,
    plan: priceId ? resolvePlan(priceId, opts.prices) : null,
    metadata: readMetadata(sub.metadata),
  };
}

/**
 * The entitlement rows a local subscription implies. externalId is `stripe:<sub id>:<key>`, so
 * re-applying the same subscription upserts the same rows (and a cancellation expires them).
 * @throws when the plan is unknown, the user id is missing, or a cloud plan has no device.
 */
export function entitlementsFor(local: LocalSubscription, who: { userId: string; deviceId?: string | null }): EntitlementRow[] {
  if (!local.plan) throw new Error(`Stripe subscription ${local.stripeSubscriptionId} has no known plan`);
  if (!who.userId) throw new Error(`Stripe subscription ${local.stripeSubscriptionId}: userId is required`);
  const status: EntitlementRow["status"] = local.status === "ACTIVE" || local.inGrace ? "ACTIVE" : "EXPIRED";
  const expiresAtMs = local.expiresAtMs;
  // An ACTIVE local row always has a period (toLocalSubscription enforces it). An expired row
  // without one "starts" when it ended, and never starts after its expiry.
  const startsAtMs = Math.min(local.periodStartMs ?? expiresAtMs, expiresAtMs);
  const base = { status, startsAtMs, expiresAtMs, userId: who.userId, source: "stripe" as const };
  const externalId = (key: EntitlementKey) => `stripe:${local.stripeSubscriptionId}:${key}`;

  if (local.plan.kind === "cloud") {
    const plan = local.plan.plan;
    if (!who.deviceId) {
      throw new Error(`Stripe subscription ${local.stripeSubscriptionId}: a cloud plan needs a deviceId`);
    }
    const deviceId = who.deviceId;
    return plan.grants.map((g) => ({
      ...base,
      externalId: externalId(g.key),
      key: g.key,
      // The catalogue is the truth for the history window, not whatever quota a grant copy holds.
      quota: g.key === "cloud_playback" ? plan.historyDays : g.quota,
      deviceId,
      sku: plan.sku,
    }));
  }
  const code: VoiceTierCode = local.plan.tier.code;
  return [{ ...base, externalId: externalId("voice_tier"), key: "voice_tier", quota: null, deviceId: null, sku: code }];
}

/** What the account page should warn about, if anything. A failed payment outranks a pending cancel. */
export function billingNotice(
  local: Pick<LocalSubscription, "stripeStatus" | "cancelAtPeriodEnd" | "cancelAtMs"> & { status: SubscriptionStatus },
): "payment_failed" | "cancels_at_period_end" | null {
  if (local.stripeStatus === "past_due" || local.stripeStatus === "unpaid") return "payment_failed";
  // Newer API versions may schedule the end via `cancel_at` with cancel_at_period_end false.
  if (local.status === "ACTIVE" && (local.cancelAtPeriodEnd || local.cancelAtMs !== null)) {
    return "cancels_at_period_end";
  }
  return null;
}
