/**
 * Starting a Stripe Checkout (ADR 008): a cloud plan for one owned camera, a voice tier, or
 * hardware / SIM data. Who may buy what is the pure policy in app/domain/checkout-policy.ts; this
 * file reads its facts, records refusals, and creates (or hands out again) the Checkout Session.
 * Every session carries our metadata (checkoutType, userId, then deviceId + planCode for a cloud
 * plan, tier for voice, sku + quantity for products) on itself and on the subscription_data /
 * payment_intent_data it creates, so every later Stripe object names its buyer.
 */
import { and, desc, eq, gte } from "drizzle-orm";
import { auditLog } from "~/db/schema";
import {
  CHECKOUT_EXPIRY_SECONDS,
  CHECKOUT_TYPES,
  decideCloudCheckout,
  decideProductCheckout,
  decideVoiceCheckout,
  MAX_REUSE_CANDIDATES,
  reusableCheckoutSession,
  SHIPPING_COUNTRIES,
  type CloudCheckoutDecision,
  type ProductCheckoutDecision,
  type VoiceCheckoutDecision,
} from "~/domain/checkout-policy";
import { voiceTierByCode, voiceTierBySku } from "~/domain/plans";
import { firstChargeForTrial } from "~/domain/trial-checkout";
import { refuse, type Refusal } from "~/domain/result";
import { getConfig } from "~/lib/config.server";
import { log } from "~/lib/log.server";
import { paths } from "~/lib/paths";
import { getCheckoutStripe, getStripe, isStripeNotFound, type Stripe } from "~/lib/stripe.server";
import { recordAudit } from "../audit.server";
import type { Actor, Deps } from "../deps.server";
import { describeDevice, getOwnedDevice, hasLivePaidPlan } from "../devices/reads.server";
import { ensureStripeCustomer } from "./customers.server";
import { liveVoiceSubscriptions } from "./reads.server";
import { appUrl, checkoutModeProblem, stripeProblem, type StripeProblem } from "./stripe-calls.server";

/** Where to send the buyer: Stripe's hosted Checkout page. */
export type CheckoutRedirect = { ok: true; url: string };

type Refused<D> = Exclude<D, { ok: true }>;
/** "Already subscribed" says where plans are changed instead. */
type WithPortal<R> = R extends { error: "already_subscribed_use_billing_portal" } ? R & { billingPortalUrl: string } : R;

export type CloudCheckoutResult = CheckoutRedirect | WithPortal<Refused<CloudCheckoutDecision>> | StripeProblem;
export type VoiceCheckoutResult = CheckoutRedirect | WithPortal<Refused<VoiceCheckoutDecision>> | PriceMismatch | StripeProblem;
/** A client named a price that is not the configured price of the tier it asked for. */
export type PriceMismatch = Refusal<"price_mismatch", { tier: string }>;
export type ProductCheckoutResult = CheckoutRedirect | Refused<ProductCheckoutDecision> | StripeProblem;

function withPortal<R extends Refusal>(r: R): WithPortal<R> {
  return (r.error === "already_subscribed_use_billing_portal" ? { ...r, billingPortalUrl: paths.services } : r) as WithPortal<R>;
}

/** A refused checkout, recorded for support (what was asked, and why not). */
async function refuseCheckout<R extends Refusal>({ db }: Deps, actor: Actor, r: R, detail: Record<string, unknown>, deviceId?: string | null): Promise<R> {
  await recordAudit(db, {
    event: "checkout_refused",
    actorUserId: actor.user.id,
    deviceId: deviceId ?? null,
    detail: { reason: r.error, ...detail },
    requestId: actor.requestId,
  });
  return r;
}

interface CheckoutSpec {
  /** For logs, e.g. "cloud_checkout". */
  what: string;
  mode: "subscription" | "payment";
  priceKey: string;
  quantity: number;
  /** On the session and on the subscription / payment intent it creates. */
  metadata: Record<string, string>;
  /** Hardware ships: Checkout collects an address in SHIPPING_COUNTRIES. */
  collectShipping?: boolean;
  cancelPath: string;
  deviceId?: string | null;
  /** What is bought, for the audit row (and for finding the same checkout again). */
  detail: Record<string, string | number>;
  /** Subscription only: the first charge (Unix s), when a camera trial is still running (ADR 018). */
  trialEnd?: number | null;
}

/**
 * The one place a Checkout Session is created. A subscription checkout first hands out this user's
 * still-open session for exactly the same thing, if there is one: two tabs (or a double click, or
 * Back and buy again) then lead to one session to pay, not two subscriptions.
 */
async function createCheckoutSession(deps: Deps, actor: Actor, spec: CheckoutSpec): Promise<CheckoutRedirect | StripeProblem> {
  const { env, db } = deps;
  try {
    if (spec.mode === "subscription") {
      const open = await openCheckoutFor(deps, actor, spec);
      if (open?.url) {
        log("info", "checkout_session_reused", { requestId: actor.requestId, session: open.id, what: spec.what });
        return { ok: true, url: open.url };
      }
    }
    const customer = await ensureStripeCustomer(deps, actor.user);
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: spec.mode,
      customer,
      client_reference_id: actor.user.id,
      line_items: [{ price: getConfig(env).stripePrices[spec.priceKey], quantity: spec.quantity }],
      metadata: spec.metadata,
      ...(spec.mode === "subscription"
        ? { subscription_data: { metadata: spec.metadata, ...(spec.trialEnd ? { trial_end: spec.trialEnd } : {}) } }
        : { payment_intent_data: { metadata: spec.metadata } }),
      ...(spec.collectShipping ? { shipping_address_collection: { allowed_countries: [...SHIPPING_COUNTRIES] } } : {}),
      success_url: appUrl(env, "/checkout/success?session_id={CHECKOUT_SESSION_ID}"),
      cancel_url: appUrl(env, spec.cancelPath),
      expires_at: Math.floor(Date.now() / 1000) + CHECKOUT_EXPIRY_SECONDS,
    };
    const session = await getCheckoutStripe(env).checkout.sessions.create(params);
    if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);
    await recordAudit(db, {
      event: "checkout_started",
      actorUserId: actor.user.id,
      deviceId: spec.deviceId ?? null,
      subjectType: "checkout_session",
      subjectId: session.id,
      detail: spec.detail,
      requestId: actor.requestId,
    });
    return { ok: true, url: session.url };
  } catch (err) {
    return stripeProblem(err, spec.what, actor.requestId);
  }
}

/**
 * This user's open Checkout Session for the same thing, or null. Candidates are the sessions our
 * own `checkout_started` audit rows name within the expiry window (the stand-in and our schema
 * have no other index of them); each is re-read from Stripe, which decides (ADR 008).
 */
async function openCheckoutFor({ env, db }: Deps, actor: Actor, spec: CheckoutSpec): Promise<Stripe.Checkout.Session | null> {
  const since = Date.now() - CHECKOUT_EXPIRY_SECONDS * 1000;
  const started = await db
    .select({ sessionId: auditLog.subjectId, deviceId: auditLog.deviceId, detailJson: auditLog.detailJson })
    .from(auditLog)
    .where(and(eq(auditLog.actorUserId, actor.user.id), gte(auditLog.at, since), eq(auditLog.event, "checkout_started")))
    .orderBy(desc(auditLog.at))
    .limit(50);
  const ids = [
    ...new Set(started.filter((r) => r.sessionId && r.deviceId === (spec.deviceId ?? null) && sameDetail(r.detailJson, spec.detail)).map((r) => r.sessionId!)),
  ].slice(0, MAX_REUSE_CANDIDATES);
  const sessions: Stripe.Checkout.Session[] = [];
  for (const id of ids) {
    try {
      sessions.push(await getStripe(env).checkout.sessions.retrieve(id));
    } catch (err) {
      if (!isStripeNotFound(err)) throw err;
    }
  }
  return reusableCheckoutSession(sessions, { mode: spec.mode, metadata: spec.metadata }, Date.now());
}

function sameDetail(json: string, want: Record<string, string | number>): boolean {
  try {
    const have = JSON.parse(json) as Record<string, unknown>;
    return Object.entries(want).every(([k, v]) => have[k] === v);
  } catch {
    return false;
  }
}

/** POST /api/checkout/cloud-storage: a Checkout Session for one cloud plan on one owned device. */
export async function startCloudCheckout(deps: Deps, input: { deviceId: string; planCode: string }, actor: Actor): Promise<CloudCheckoutResult> {
  const misconfigured = checkoutModeProblem(deps.env, actor.requestId);
  if (misconfigured) return misconfigured;
  // Device.id only: an ownership id, someone else's device or a made-up id are all "no such device".
  const owned = await getOwnedDevice(deps, input.deviceId, actor.user.id);
  const decision = decideCloudCheckout({
    planCode: input.planCode,
    deviceOwned: !!owned,
    livePaidPlan: owned ? await hasLivePaidPlan(deps, owned.device.id) : false,
  });
  if (!decision.ok) {
    if (decision.error === "not_found") return decision;
    const onDevice = decision.error === "already_subscribed_use_billing_portal" ? owned?.device.id : null;
    return refuseCheckout(deps, actor, withPortal(decision), { planCode: input.planCode }, onDevice);
  }
  const { plan } = decision;
  const deviceId = owned!.device.id;
  // Bought during the camera's trial: billing starts when the trial ends (ADR 018).
  const now = Date.now();
  const { trial } = await describeDevice(deps, owned!.device, owned!.ownership, now);
  const trialEnd = firstChargeForTrial(trial, now);
  return createCheckoutSession(deps, actor, {
    trialEnd,
    what: "cloud_checkout",
    mode: "subscription",
    priceKey: plan.stripePriceKey,
    quantity: 1,
    metadata: { checkoutType: CHECKOUT_TYPES.cloud, userId: actor.user.id, deviceId, planCode: plan.code },
    cancelPath: `${paths.services}?checkout=cancelled`,
    deviceId,
    detail: { planCode: plan.code },
  });
}

/**
 * POST /api/stripe/checkout {tier, priceId?}: a voice tier subscription for the signed-in user. The
 * tier decides what is sold; a priceId is only compared with that tier's configured price.
 */
export async function startVoiceCheckout(deps: Deps, input: { tier: string; priceId?: string }, actor: Actor): Promise<VoiceCheckoutResult> {
  const misconfigured = checkoutModeProblem(deps.env, actor.requestId);
  if (misconfigured) return misconfigured;
  const priceKey = voiceTierByCode(input.tier)?.stripePriceKey;
  if (input.priceId !== undefined && priceKey && getConfig(deps.env).stripePrices[priceKey] !== input.priceId) {
    return refuseCheckout(deps, actor, refuse("price_mismatch", { tier: input.tier }), { tier: input.tier, priceId: input.priceId });
  }
  const live = await liveVoiceSubscriptions(deps, actor.user.id);
  const decision = decideVoiceCheckout({ tierCode: input.tier, heldTiers: live.map((s) => voiceTierBySku(s.sku)?.code ?? "FREE") });
  if (!decision.ok) return refuseCheckout(deps, actor, withPortal(decision), { tier: input.tier });
  const { tier } = decision;
  return createCheckoutSession(deps, actor, {
    what: "voice_checkout",
    mode: "subscription",
    priceKey: tier.stripePriceKey,
    quantity: 1,
    metadata: { checkoutType: CHECKOUT_TYPES.voice, userId: actor.user.id, tier: tier.code },
    cancelPath: `${paths.services}?checkout=cancelled`,
    detail: { tier: tier.code },
  });
}

/** POST /api/checkout/product {sku, quantity}: hardware or a SIM data plan, shipped. */
export async function startProductCheckout(deps: Deps, input: { sku: string; quantity: number }, actor: Actor): Promise<ProductCheckoutResult> {
  const misconfigured = checkoutModeProblem(deps.env, actor.requestId);
  if (misconfigured) return misconfigured;
  const decision = decideProductCheckout({ sku: input.sku });
  if (!decision.ok) return decision.error === "not_found" ? decision : refuseCheckout(deps, actor, decision, { sku: input.sku });
  const { product } = decision;
  return createCheckoutSession(deps, actor, {
    what: "product_checkout",
    mode: "payment",
    priceKey: product.stripePriceKey,
    quantity: input.quantity,
    metadata: { checkoutType: CHECKOUT_TYPES.product, userId: actor.user.id, sku: product.sku, quantity: String(input.quantity) },
    collectShipping: true,
    cancelPath: paths.store(product.sku),
    detail: { sku: product.sku, quantity: input.quantity },
  });
}
