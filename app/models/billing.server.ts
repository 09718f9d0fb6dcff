import { and, desc, eq, gte, inArray, isNull, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { getDb, type Db } from "~/db/client.server";
import { auditLog, entitlements, orders, stripeEvents, subscriptions, users, type Subscription } from "~/db/schema";
import {
  ALREADY_SUBSCRIBED_EXTRA,
  decideCloudCheckout,
  decideProductCheckout,
  decideVoiceCheckout,
  paidTwice,
  reusableCheckoutSession,
} from "~/domain/checkout-policy";
import type { Refusal } from "~/domain/checkout-policy";
import { CLOUD_PLANS, VOICE_TIERS, cloudPlanByCode, cloudPlanBySku, productBySku, voiceTierByCode, voiceTierBySku } from "~/domain/plans";
import {
  ActiveWithoutPeriodError,
  billingNotice,
  entitlementsFor,
  subscriptionOwnerHints,
  toLocalSubscription,
  type LocalSubscription,
  type StripeSubscriptionLike,
} from "~/domain/stripe-subscription";
import type { SessionUser } from "~/lib/auth.server";
import { getConfig } from "~/lib/config.server";
import { failure, jsonError, jsonOk, type Failure } from "~/lib/http.server";
import { log } from "~/lib/log.server";
import {
  getCheckoutStripe,
  getStripe,
  isStripeNotFound,
  Stripe,
  StripeMisconfiguredError,
  verifyWebhookEvent,
} from "~/lib/stripe.server";
import { auditInsert, recordAudit, type AuditEventName } from "./audit.server";
import { getOwnedDevice, hasLivePaidPlan } from "./devices/reads.server";

/**
 * Billing use-cases (ADR 008). Local subscription/entitlement rows are a projection of Stripe's
 * current state: every writer re-reads the object from Stripe and hands it to
 * `applySubscription`, which upserts rows keyed by Stripe ids. So duplicates, retries and
 * out-of-order webhooks all converge on whatever Stripe says now.
 */

export interface BillingActor {
  user: Pick<SessionUser, "id" | "email">;
  requestId?: string | null;
}

export const CHECKOUT_TYPES = {
  cloud: "cloud_storage_subscription",
  voice: "voice_tier_subscription",
  product: "product_purchase",
} as const;

/** Where hardware and SIMs ship to (Checkout's address form only offers these). */
export const SHIPPING_COUNTRIES = ["US", "CA"] as const;

/** Stripe's minimum is 30 minutes; an hour keeps the paid-for device the one the buyer owns. */
const CHECKOUT_EXPIRY_SECONDS = 60 * 60;

const CLOUD_SKUS = CLOUD_PLANS.filter((p) => p.purchasable).map((p) => p.sku);
const VOICE_SKUS = VOICE_TIERS.filter((t) => t.stripePriceKey).map((t) => t.sku);

// A paid subscription that duplicates a live one (ADR 008).
const SUBSCRIPTION_PAID_TWICE: AuditEventName = "subscription_paid_twice";

type Stmt = BatchItem<"sqlite">;

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? "")}` : String(err);
}

function isUniqueViolationOn(err: unknown, column: string): boolean {
  const text = errorText(err);
  return /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(text) && text.includes(column);
}

/** Stripe problems reach people as one stable 502, never as a stack trace. */
function stripeFailure(err: unknown, what: string, requestId?: string | null): Failure {
  if (err instanceof StripeMisconfiguredError) {
    log("error", "stripe_misconfigured", { requestId, problem: err.message });
    return failure(503, "stripe_misconfigured", "Payments are switched off while we fix a configuration problem. Please try again later.");
  }
  if (err instanceof Stripe.errors.StripeError) {
    log("error", "stripe_call_failed", { requestId, what, type: err.type, code: err.code ?? null, status: err.statusCode ?? null, message: err.message });
    return failure(502, "payment_provider_error", "Our payment provider could not be reached. Please try again in a moment.");
  }
  throw err;
}

function appUrl(env: object, path: string): string {
  return new URL(path, getConfig(env).APP_ORIGIN).toString();
}

// ---------------------------------------------------------------------------------------------
// Customers

/**
 * The user's Stripe customer id, created at most once. The idempotency key is derived from the
 * user id, so two racing checkouts (or a retry after a lost response) get the same customer.
 */
export async function ensureStripeCustomer(env: Env, user: Pick<SessionUser, "id" | "email">): Promise<string> {
  const db = getDb(env);
  const [row] = await db.select({ customerId: users.stripeCustomerId }).from(users).where(eq(users.id, user.id)).limit(1);
  if (row?.customerId) return row.customerId;
  const customer = await getCheckoutStripe(env).customers.create(
    { email: user.email, metadata: { userId: user.id } },
    { idempotencyKey: `aovis-customer-${user.id}` },
  );
  await db.update(users).set({ stripeCustomerId: customer.id }).where(and(eq(users.id, user.id), isNull(users.stripeCustomerId)));
  const [after] = await db.select({ customerId: users.stripeCustomerId }).from(users).where(eq(users.id, user.id)).limit(1);
  return after?.customerId ?? customer.id;
}

// ---------------------------------------------------------------------------------------------
// Checkout

export type RedirectResult = { ok: true; url: string } | Failure;

function modeProblem(env: Env, requestId?: string | null): Failure | null {
  try {
    getCheckoutStripe(env);
    return null;
  } catch (err) {
    return stripeFailure(err, "mode_guard", requestId);
  }
}

async function refuse(db: Db, actor: BillingActor, f: Failure, detail: Record<string, unknown>, deviceId?: string | null): Promise<Failure> {
  await recordAudit(db, { event: "checkout_refused", actorUserId: actor.user.id, deviceId: deviceId ?? null, detail: { reason: f.error, ...detail }, requestId: actor.requestId });
  return f;
}

/** A checkout decision's refusal as a use-case Failure; the 409 says where to go instead. */
function refusal(d: Refusal<string>): Failure {
  return failure(d.status, d.error, d.message, d.error === "already_subscribed_use_billing_portal" ? { ...ALREADY_SUBSCRIBED_EXTRA } : undefined);
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
}

/** How many of a user's recent checkouts for the same thing are re-read when looking for an open one. */
const MAX_REUSE_CANDIDATES = 3;

/**
 * The one place a Checkout Session is created. A subscription checkout first hands out this user's
 * still-open session for exactly the same thing, if there is one: two tabs (or a double click, or
 * Back and buy again) then lead to one session to pay, not two subscriptions.
 */
async function createCheckoutSession(env: Env, db: Db, actor: BillingActor, spec: CheckoutSpec): Promise<RedirectResult> {
  try {
    if (spec.mode === "subscription") {
      const open = await openCheckoutFor(env, db, actor, spec);
      if (open?.url) {
        log("info", "checkout_session_reused", { requestId: actor.requestId, session: open.id, what: spec.what });
        return { ok: true, url: open.url };
      }
    }
    const customer = await ensureStripeCustomer(env, actor.user);
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: spec.mode,
      customer,
      client_reference_id: actor.user.id,
      line_items: [{ price: getConfig(env).stripePrices[spec.priceKey], quantity: spec.quantity }],
      metadata: spec.metadata,
      ...(spec.mode === "subscription" ? { subscription_data: { metadata: spec.metadata } } : { payment_intent_data: { metadata: spec.metadata } }),
      ...(spec.collectShipping ? { shipping_address_collection: { allowed_countries: [...SHIPPING_COUNTRIES] } } : {}),
      success_url: appUrl(env, "/checkout/success?session_id={CHECKOUT_SESSION_ID}"),
      cancel_url: appUrl(env, spec.cancelPath),
      expires_at: Math.floor(Date.now() / 1000) + CHECKOUT_EXPIRY_SECONDS,
    };
    const session = await getCheckoutStripe(env).checkout.sessions.create(params);
    if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);
    await recordAudit(db, { event: "checkout_started", actorUserId: actor.user.id, deviceId: spec.deviceId ?? null, subjectType: "checkout_session", subjectId: session.id, detail: spec.detail, requestId: actor.requestId });
    return { ok: true, url: session.url };
  } catch (err) {
    return stripeFailure(err, spec.what, actor.requestId);
  }
}

/**
 * This user's open Checkout Session for the same thing, or null. Candidates are the sessions our
 * own `checkout_started` audit rows name within the expiry window (the stand-in and our schema
 * have no other index of them); each is re-read from Stripe, which decides (ADR 008).
 */
async function openCheckoutFor(env: Env, db: Db, actor: BillingActor, spec: CheckoutSpec): Promise<Stripe.Checkout.Session | null> {
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
export async function startCloudCheckout(env: Env, input: { deviceId: string; planCode: string }, actor: BillingActor): Promise<RedirectResult> {
  const misconfigured = modeProblem(env, actor.requestId);
  if (misconfigured) return misconfigured;
  const db = getDb(env);
  // Device.id only: an ownership id, someone else's device or a made-up id are all "no such device".
  const owned = await getOwnedDevice({ env, db }, input.deviceId, actor.user.id);
  const decision = decideCloudCheckout({ planCode: input.planCode, deviceOwned: !!owned, livePaidPlan: owned ? await hasLivePaidPlan({ env, db }, owned.device.id) : false });
  if (!decision.ok) {
    if (decision.error === "not_found") return refusal(decision);
    const onDevice = decision.error === "already_subscribed_use_billing_portal" ? owned?.device.id : null;
    return refuse(db, actor, refusal(decision), { planCode: input.planCode }, onDevice);
  }
  const { plan } = decision;
  const deviceId = owned!.device.id;
  return createCheckoutSession(env, db, actor, {
    what: "cloud_checkout",
    mode: "subscription",
    priceKey: plan.stripePriceKey,
    quantity: 1,
    metadata: { checkoutType: CHECKOUT_TYPES.cloud, userId: actor.user.id, deviceId, planCode: plan.code },
    cancelPath: "/account/services?checkout=cancelled",
    deviceId,
    detail: { planCode: plan.code },
  });
}

/** Live Stripe voice subscriptions of a user (ACTIVE, or INACTIVE = still billed / fixable). */
async function liveVoiceSubscriptions(db: Db, userId: string) {
  return db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), eq(subscriptions.source, "stripe"), inArray(subscriptions.status, ["ACTIVE", "INACTIVE"]), inArray(subscriptions.sku, VOICE_SKUS)));
}

/** POST /api/stripe/checkout {tier}: a voice tier subscription for the signed-in user. */
export async function startVoiceCheckout(env: Env, input: { tier: string }, actor: BillingActor): Promise<RedirectResult> {
  const misconfigured = modeProblem(env, actor.requestId);
  if (misconfigured) return misconfigured;
  const db = getDb(env);
  const live = await liveVoiceSubscriptions(db, actor.user.id);
  const decision = decideVoiceCheckout({ tierCode: input.tier, heldTiers: live.map((s) => voiceTierBySku(s.sku)?.code ?? "FREE") });
  if (!decision.ok) return refuse(db, actor, refusal(decision), { tier: input.tier });
  const { tier } = decision;
  return createCheckoutSession(env, db, actor, {
    what: "voice_checkout",
    mode: "subscription",
    priceKey: tier.stripePriceKey,
    quantity: 1,
    metadata: { checkoutType: CHECKOUT_TYPES.voice, userId: actor.user.id, tier: tier.code },
    cancelPath: "/account/services?checkout=cancelled",
    detail: { tier: tier.code },
  });
}

/** POST /api/checkout/product {sku, quantity}: hardware or a SIM data plan, shipped. */
export async function startProductCheckout(env: Env, input: { sku: string; quantity: number }, actor: BillingActor): Promise<RedirectResult> {
  const misconfigured = modeProblem(env, actor.requestId);
  if (misconfigured) return misconfigured;
  const db = getDb(env);
  const decision = decideProductCheckout({ sku: input.sku });
  if (!decision.ok) return decision.error === "not_found" ? refusal(decision) : refuse(db, actor, refusal(decision), { sku: input.sku });
  const { product } = decision;
  return createCheckoutSession(env, db, actor, {
    what: "product_checkout",
    mode: "payment",
    priceKey: product.stripePriceKey,
    quantity: input.quantity,
    metadata: { checkoutType: CHECKOUT_TYPES.product, userId: actor.user.id, sku: product.sku, quantity: String(input.quantity) },
    collectShipping: true,
    cancelPath: `/store/${product.sku}`,
    detail: { sku: product.sku, quantity: input.quantity },
  });
}

// ---------------------------------------------------------------------------------------------
// Billing Portal

/**
 * POST /api/billing/portal {subscriptionId?, flow?}: the Stripe-hosted portal for the user's
 * customer. A given subscription must be this user's own Stripe cloud/voice subscription (by our
 * id or Stripe's); anything else is 404. Cancelling and refunds happen only in the portal.
 */
export async function openBillingPortal(
  env: Env,
  input: { subscriptionId?: string; flow?: "payment_method_update" },
  actor: BillingActor,
): Promise<RedirectResult> {
  const misconfigured = modeProblem(env, actor.requestId);
  if (misconfigured) return misconfigured;
  const db = getDb(env);
  let customer: string | null = null;
  let subject: Subscription | null = null;
  if (input.subscriptionId) {
    const [row] = await db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, actor.user.id), or(eq(subscriptions.id, input.subscriptionId), eq(subscriptions.externalId, input.subscriptionId))))
      .limit(1);
    if (!row || row.source !== "stripe" || !(CLOUD_SKUS.includes(row.sku) || VOICE_SKUS.includes(row.sku))) {
      return failure(404, "not_found", "No such subscription.");
    }
    subject = row;
    customer = row.stripeCustomerId;
  }
  if (!customer) {
    const [u] = await db.select({ customerId: users.stripeCustomerId }).from(users).where(eq(users.id, actor.user.id)).limit(1);
    customer = u?.customerId ?? null;
  }
  if (!customer) return failure(404, "no_billing_account", "You have no paid services yet, so there is nothing to manage.");
  try {
    const portal = await getCheckoutStripe(env).billingPortal.sessions.create({
      customer,
      return_url: appUrl(env, "/account/services"),
      ...(input.flow === "payment_method_update" ? { flow_data: { type: "payment_method_update" as const } } : {}),
    });
    await recordAudit(db, {
      event: "billing_portal_opened",
      actorUserId: actor.user.id,
      deviceId: subject?.deviceId ?? null,
      subjectType: subject ? "subscription" : "customer",
      subjectId: subject?.externalId ?? customer,
      detail: { flow: input.flow ?? null },
      requestId: actor.requestId,
    });
    return { ok: true, url: portal.url };
  } catch (err) {
    return stripeFailure(err, "billing_portal", actor.requestId);
  }
}

// ---------------------------------------------------------------------------------------------
// Applying Stripe state

export interface ApplySource {
  /** Set when a webhook event caused this: recorded in stripe_events in the same batch. */
  eventId?: string;
  /** The event type, or e.g. "checkout.success_page". */
  eventType: string;
  receivedAt?: number;
  requestId?: string | null;
}

export type ApplyResult =
  | { outcome: "applied"; local: LocalSubscription; userId: string; deviceId: string | null }
  | { outcome: "ignored"; reason: string }
  | { outcome: "duplicate" };

export class UnknownPriceError extends Error {
  constructor(subscriptionId: string, priceId: string | null) {
    super(`Stripe subscription ${subscriptionId} uses price ${priceId ?? "(none)"}, which is not a configured cloud or voice price`);
    this.name = "UnknownPriceError";
  }
}

function eventRow(db: Db, source: ApplySource, outcome: "subscription_applied" | "order_recorded" | "ignored", objectId: string | null, now: number) {
  return db.insert(stripeEvents).values({
    id: source.eventId!,
    type: source.eventType,
    objectId,
    outcome,
    receivedAt: source.receivedAt ?? now,
    processedAt: now,
  });
}

/** Runs a batch whose first statement may record the event; a concurrent twin makes it a duplicate. */
async function runBatch(db: Db, stmts: Stmt[]): Promise<"ok" | "duplicate"> {
  try {
    await db.batch(stmts as [Stmt, ...Stmt[]]);
    return "ok";
  } catch (err) {
    if (isUniqueViolationOn(err, "stripe_events.id")) return "duplicate";
    throw err;
  }
}

/**
 * Whose subscription this is: the metadata `userId` of a user we have, else the user whose Stripe
 * customer it is. null = not ours (made in the Dashboard or by another integration on the account).
 */
async function ownerOf(db: Db, sub: StripeSubscriptionLike): Promise<string | null> {
  const hints = subscriptionOwnerHints(sub);
  if (hints.userId) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, hints.userId)).limit(1);
    if (u) return u.id;
  }
  if (hints.customerId) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.stripeCustomerId, hints.customerId)).limit(1);
    if (u) return u.id;
  }
  return null;
}

/** The local rows of the same target (the device's cloud plans, the user's voice tiers) that are live, plus this subscription's own row. */
async function targetRows(db: Db, ext: string, kind: "cloud" | "voice", userId: string, deviceId: string | null) {
  const target =
    kind === "cloud" ? and(eq(subscriptions.deviceId, deviceId ?? ""), inArray(subscriptions.sku, CLOUD_SKUS)) : and(eq(subscriptions.userId, userId), inArray(subscriptions.sku, VOICE_SKUS));
  return db
    .select({ externalId: subscriptions.externalId, status: subscriptions.status })
    .from(subscriptions)
    .where(and(eq(subscriptions.source, "stripe"), or(and(target, inArray(subscriptions.status, ["ACTIVE", "INACTIVE"])), eq(subscriptions.externalId, ext))));
}

/**
 * THE way Stripe subscription state gets into D1, for the webhook and the checkout success page
 * alike. Takes the subscription as just re-read from Stripe (it calls Stripe for nothing), maps it
 * with the pure domain module and upserts the subscription row and its entitlement rows (and the
 * event record, if any) in one db.batch, keyed by Stripe ids.
 *
 * `readAt` is when the snapshot was read: taken immediately BEFORE the Stripe call, never after it
 * answered, so a slow answer carrying an older state can't pass for a newer one. Rows carry it as
 * `updated_at`, and an upsert only overwrites rows written from an older (or equal) read. A
 * cancelled subscription is final in Stripe, so a CANCELLED row is never set back to live whatever
 * the times say.
 *
 * A subscription that isn't ours (see ownerOf) is ignored whatever it contains. For one of ours:
 * @throws ActiveWithoutPeriodError (active but no period: nothing is written), UnknownPriceError
 *   (our configuration lacks its price), or an Error for a cloud plan without a device; callers
 *   answer 5xx so Stripe retries.
 */
export async function applySubscription(env: Env, sub: StripeSubscriptionLike, source: ApplySource, readAt = Date.now()): Promise<ApplyResult> {
  const db = getDb(env);
  const subId = typeof sub.id === "string" && sub.id ? sub.id : null;
  const userId = await ownerOf(db, sub);
  if (!userId) {
    // Never a 5xx: Stripe would retry for days and then disable the endpoint for everyone.
    const hints = subscriptionOwnerHints(sub);
    log("warn", "stripe_subscription_ignored", { requestId: source.requestId, eventId: source.eventId, subscription: subId, customer: hints.customerId, reason: "not_ours" });
    if (source.eventId) {
      const r = await runBatch(db, [eventRow(db, source, "ignored", subId, Date.now())]);
      if (r === "duplicate") return { outcome: "duplicate" };
    }
    return { outcome: "ignored", reason: "not_ours" };
  }

  const config = getConfig(env);
  const local = toLocalSubscription(sub, { prices: config.stripePrices, nowMs: readAt });
  if (!local.plan) {
    // One of our users pays for a price no STRIPE_PRICE_* names: our configuration is wrong. 5xx so
    // Stripe keeps the event until the configuration is fixed.
    log("error", "stripe_subscription_unknown_price", {
      requestId: source.requestId,
      eventId: source.eventId,
      subscription: local.stripeSubscriptionId,
      price: local.priceId,
      userId,
      fix: "set the STRIPE_PRICE_* variable for this price (npm run stripe:verify-config), then let Stripe retry",
    });
    throw new UnknownPriceError(local.stripeSubscriptionId, local.priceId);
  }

  const isCloud = local.plan.kind === "cloud";
  const deviceId = isCloud ? (local.metadata.deviceId ?? null) : null;
  const rows = entitlementsFor(local, { userId, deviceId });
  const sku = local.plan.kind === "cloud" ? local.plan.plan.sku : local.plan.tier.sku;
  const planCode = local.plan.kind === "cloud" ? local.plan.plan.code : local.plan.tier.code;
  const ext = local.stripeSubscriptionId;
  const writtenAt = Date.now();
  const duplicates = local.status === "CANCELLED" ? [] : paidTwice({ externalId: ext, status: local.status }, await targetRows(db, ext, local.plan.kind, userId, deviceId));

  const stmts: Stmt[] = [];
  if (source.eventId) stmts.push(eventRow(db, source, "subscription_applied", ext, writtenAt));
  const subValues = {
    source: "stripe" as const,
    userId,
    deviceId,
    sku,
    planCode,
    status: local.status,
    stripeStatus: local.stripeStatus,
    stripeCustomerId: local.stripeCustomerId,
    currentPeriodStart: local.periodStartMs,
    currentPeriodEnd: local.periodEndMs,
    cancelAtPeriodEnd: local.cancelAtPeriodEnd,
    cancelAt: local.cancelAtMs,
    endedAt: local.endedAtMs,
    updatedAt: readAt,
  };
  stmts.push(
    db
      .insert(subscriptions)
      .values({ id: crypto.randomUUID(), externalId: ext, createdAt: writtenAt, ...subValues })
      .onConflictDoUpdate({
        target: subscriptions.externalId,
        set: subValues,
        setWhere: sql`excluded.updated_at >= subscriptions.updated_at AND (subscriptions.status <> 'CANCELLED' OR excluded.status = 'CANCELLED')`,
      }),
  );
  // Entitlements of a subscription whose row is CANCELLED only ever stay (or become) EXPIRED.
  const notCancelled = sql`(excluded.status = 'EXPIRED' OR NOT EXISTS (SELECT 1 FROM subscriptions WHERE external_id = ${ext} AND status = 'CANCELLED'))`;
  for (const e of rows) {
    stmts.push(
      db
        .insert(entitlements)
        .values({
          id: crypto.randomUUID(),
          externalId: e.externalId,
          // The local id of the row upserted just above, whichever request created it.
          subscriptionId: sql`(SELECT id FROM subscriptions WHERE external_id = ${ext})`,
          source: "stripe",
          userId: e.userId,
          deviceId: e.deviceId,
          key: e.key,
          quota: e.quota,
          sku: e.sku,
          status: e.status,
          startsAt: e.startsAtMs,
          expiresAt: e.expiresAtMs,
          endedAt: e.status === "EXPIRED" ? e.expiresAtMs : null,
          updatedAt: readAt,
        })
        .onConflictDoUpdate({
          target: entitlements.externalId,
          set: {
            userId: e.userId,
            deviceId: e.deviceId,
            quota: e.quota,
            sku: e.sku,
            status: e.status,
            startsAt: e.startsAtMs,
            // Re-applying an ended state keeps the moment access first stopped.
            expiresAt: sql`CASE WHEN entitlements.status = 'EXPIRED' AND excluded.status = 'EXPIRED' THEN MIN(entitlements.expires_at, excluded.expires_at) ELSE excluded.expires_at END`,
            endedAt: sql`CASE WHEN excluded.status = 'EXPIRED' THEN COALESCE(entitlements.ended_at, excluded.ended_at) ELSE NULL END`,
            updatedAt: readAt,
          },
          setWhere: sql`excluded.updated_at >= entitlements.updated_at AND ${notCancelled}`,
        }),
    );
  }
  stmts.push(
    auditInsert(db, {
      event: "subscription_synced",
      deviceId,
      subjectType: "subscription",
      subjectId: ext,
      detail: { userId, via: source.eventType, eventId: source.eventId ?? null, status: local.status, stripeStatus: local.stripeStatus, planCode, periodEnd: local.periodEndMs, cancelAtPeriodEnd: local.cancelAtPeriodEnd },
      requestId: source.requestId,
      at: writtenAt,
    }),
  );
  // Paid twice (two tabs, two Checkout Sessions): recorded for an operator, who refunds and cancels
  // one in the Stripe Dashboard. We never cancel anything ourselves. deviceId stays out of the
  // row's column so the owner's device history doesn't list an operator note.
  if (duplicates.length) {
    stmts.push(
      auditInsert(db, {
        event: SUBSCRIPTION_PAID_TWICE,
        subjectType: "subscription",
        subjectId: ext,
        detail: { userId, deviceId, kind: local.plan.kind, planCode, duplicates, customer: local.stripeCustomerId, via: source.eventType, eventId: source.eventId ?? null },
        requestId: source.requestId,
        at: writtenAt,
      }),
    );
  }
  if ((await runBatch(db, stmts)) === "duplicate") return { outcome: "duplicate" };
  if (duplicates.length) {
    log("error", "stripe_subscription_paid_twice", {
      requestId: source.requestId,
      subscription: ext,
      duplicates: duplicates.join(","),
      userId,
      deviceId,
      customer: local.stripeCustomerId,
      fix: "refund and cancel one of them in the Stripe Dashboard",
    });
  }
  return { outcome: "applied", local, userId, deviceId };
}

/** The subscription an invoice belongs to: basil's `parent.subscription_details`, else pre-basil `subscription`. */
export function invoiceSubscriptionId(invoice: unknown): string | null {
  const inv = invoice as { parent?: { subscription_details?: { subscription?: unknown } | null } | null; subscription?: unknown };
  const ref = inv?.parent?.subscription_details?.subscription ?? inv?.subscription ?? null;
  if (typeof ref === "string") return ref || null;
  if (ref && typeof ref === "object" && typeof (ref as { id?: unknown }).id === "string") return (ref as { id: string }).id;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Orders (hardware / SIM)

export type OrderResult = { outcome: "order_recorded"; orderStatus: "PAID" | "PENDING_PAYMENT"; sku: string } | { outcome: "ignored"; reason: string } | { outcome: "duplicate" };

/**
 * Records (upserts) the order of a completed payment-mode Checkout Session, re-read from Stripe.
 * Unique per session; a PAID order never goes back to pending.
 */
export async function recordOrder(env: Env, session: Stripe.Checkout.Session, source: ApplySource, now = Date.now()): Promise<OrderResult> {
  const db = getDb(env);
  const md = session.metadata ?? {};
  const ignore = async (reason: string): Promise<OrderResult> => {
    if (source.eventId && (await runBatch(db, [eventRow(db, source, "ignored", session.id, now)])) === "duplicate") return { outcome: "duplicate" };
    return { outcome: "ignored", reason };
  };
  if (session.mode !== "payment" || md.checkoutType !== CHECKOUT_TYPES.product) return ignore("not_a_product_checkout");
  if (session.status !== "complete") return ignore(`session_${session.status ?? "unknown"}`);
  const product = md.sku ? productBySku(md.sku) : undefined;
  if (!md.userId || !product) throw new Error(`Checkout Session ${session.id} has no userId/sku metadata`);
  const paid = session.payment_status === "paid" || session.payment_status === "no_payment_required";
  const status = paid ? ("PAID" as const) : ("PENDING_PAYMENT" as const);
  const shipping = session.collected_information?.shipping_details ?? null;
  const customer = typeof session.customer === "string" ? session.customer : (session.customer?.id ?? null);
  const paymentIntent = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);
  const values = {
    userId: md.userId,
    sku: product.sku,
    quantity: Math.max(1, Number.parseInt(md.quantity ?? "1", 10) || 1),
    amountTotal: session.amount_total ?? 0,
    currency: session.currency ?? product.currency,
    stripeCustomerId: customer,
    paymentIntentId: paymentIntent,
    shippingName: shipping?.name ?? null,
    shippingAddressJson: shipping?.address ? JSON.stringify(shipping.address) : null,
    updatedAt: now,
  };
  const stmts: Stmt[] = [];
  if (source.eventId) stmts.push(eventRow(db, source, "order_recorded", session.id, now));
  stmts.push(
    db
      .insert(orders)
      .values({ id: crypto.randomUUID(), checkoutSessionId: session.id, status, createdAt: now, ...values })
      .onConflictDoUpdate({
        target: orders.checkoutSessionId,
        set: { ...values, status: sql`CASE WHEN orders.status = 'PAID' THEN 'PAID' ELSE excluded.status END` },
      }),
    auditInsert(db, { event: "order_recorded", actorUserId: md.userId, subjectType: "checkout_session", subjectId: session.id, detail: { sku: product.sku, status, via: source.eventType, eventId: source.eventId ?? null }, requestId: source.requestId, at: now }),
  );
  if ((await runBatch(db, stmts)) === "duplicate") return { outcome: "duplicate" };
  return { outcome: "order_recorded", orderStatus: status, sku: product.sku };
}

// ---------------------------------------------------------------------------------------------
// Webhook

/** Events are a few KB; Stripe caps payloads well below this. */
export const MAX_WEBHOOK_BYTES = 512 * 1024;
const SUBSCRIPTION_EVENTS = new Set(["customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted", "customer.subscription.paused", "customer.subscription.resumed"]);
const INVOICE_EVENTS = new Set(["invoice.paid", "invoice.payment_failed"]);
const CHECKOUT_EVENTS = new Set(["checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed"]);

/** Re-reads the subscription from Stripe (events arrive in any order) and applies what it says now. */
async function syncSubscription(env: Env, subscriptionId: string, source: ApplySource): Promise<ApplyResult> {
  const readAt = Date.now(); // before the call: see applySubscription
  const sub = await getStripe(env).subscriptions.retrieve(subscriptionId);
  return applySubscription(env, sub, source, readAt);
}

/**
 * The body as text, or null once it exceeds `maxBytes`. Counted as it streams: a chunked body has
 * no Content-Length, and request.text() would buffer whatever it is sent.
 */
async function readTextUpTo(request: Request, maxBytes: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** What one verified event does. Throws on anything that should make Stripe retry. */
export async function processStripeEvent(env: Env, event: Stripe.Event, source: Omit<ApplySource, "eventId" | "eventType">): Promise<ApplyResult | OrderResult> {
  const db = getDb(env);
  const src: ApplySource = { ...source, eventId: event.id, eventType: event.type };
  const object = event.data.object as { id?: string };
  const now = Date.now();
  const ignore = async (reason: string): Promise<ApplyResult> => {
    const r = await runBatch(db, [eventRow(db, src, "ignored", object?.id ?? null, now)]);
    return r === "duplicate" ? { outcome: "duplicate" } : { outcome: "ignored", reason };
  };

  if (SUBSCRIPTION_EVENTS.has(event.type)) {
    if (!object?.id) throw new Error(`${event.type} ${event.id} carries no subscription id`);
    return syncSubscription(env, object.id, src);
  }
  if (INVOICE_EVENTS.has(event.type)) {
    const subId = invoiceSubscriptionId(object);
    if (!subId) return ignore("invoice_without_subscription");
    return syncSubscription(env, subId, src);
  }
  if (CHECKOUT_EVENTS.has(event.type)) {
    if (!object?.id) throw new Error(`${event.type} ${event.id} carries no session id`);
    const session = await getStripe(env).checkout.sessions.retrieve(object.id);
    if (session.mode === "subscription") {
      const subId = typeof session.subscription === "string" ? session.subscription : (session.subscription?.id ?? null);
      if (!subId) return ignore(`subscription_checkout_${session.status ?? "open"}`);
      return syncSubscription(env, subId, src);
    }
    return recordOrder(env, session, src);
  }
  return ignore("unhandled_type");
}

/**
 * POST /api/stripe/webhook. Raw body + Stripe-Signature (≤ 300 s old) or 400 with nothing
 * written; a recorded event id is a 200 no-op; processing errors are 500 so Stripe retries, and
 * since the event row is only written with the event's effects, a failed event isn't "processed".
 */
export async function handleStripeWebhook(request: Request, env: Env, requestId?: string): Promise<Response> {
  if (request.method !== "POST") return jsonError(405, "method_not_allowed", "This endpoint does not accept that method.");
  // Refuse to buffer anything huge before the signature is checked: by the declared length when
  // there is one, and by counting what actually arrives in any case.
  const tooLarge = () => jsonError(413, "payload_too_large", "The webhook body is too large.");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_WEBHOOK_BYTES) return tooLarge();
  const signature = request.headers.get("Stripe-Signature");
  if (!signature) return jsonError(400, "missing_signature", "The Stripe-Signature header is missing.");
  const raw = await readTextUpTo(request, MAX_WEBHOOK_BYTES);
  if (raw === null) return tooLarge();
  let event: Stripe.Event;
  try {
    event = await verifyWebhookEvent(env, raw, signature);
  } catch (err) {
    log("warn", "stripe_webhook_rejected", { requestId, reason: err instanceof Error ? err.message : String(err) });
    return jsonError(400, "invalid_signature", "The webhook signature is invalid or too old.");
  }
  const receivedAt = Date.now();
  const db = getDb(env);
  const [seen] = await db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.id)).limit(1);
  if (seen) return jsonOk({ received: true, duplicate: true });
  try {
    const result = await processStripeEvent(env, event, { receivedAt, requestId });
    log("info", "stripe_webhook_processed", { requestId, eventId: event.id, type: event.type, outcome: result.outcome });
    return jsonOk({ received: true, duplicate: result.outcome === "duplicate", outcome: result.outcome });
  } catch (err) {
    log("error", "stripe_webhook_failed", {
      requestId,
      eventId: event.id,
      type: event.type,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      notFound: isStripeNotFound(err),
    });
    return jsonError(500, "processing_failed", "The event could not be processed; Stripe will retry it.", { eventId: event.id });
  }
}

// ---------------------------------------------------------------------------------------------
// Checkout success page

export type CheckoutReturn =
  | { ok: true; kind: "subscription"; result: ApplyResult; planName: string; deviceId: string | null }
  | { ok: true; kind: "order"; result: OrderResult; productName: string }
  | { ok: true; kind: "pending" }
  | Failure;

export const CHECKOUT_SESSION_ID = /^cs_(test|live)_[A-Za-z0-9]{1,200}$/;

/**
 * success_url target: re-reads the session (and its subscription) and applies it exactly as the
 * webhook would, so the page is right even when the webhook hasn't arrived yet.
 */
export async function completeCheckoutReturn(env: Env, sessionId: string, actor: BillingActor): Promise<CheckoutReturn> {
  if (!CHECKOUT_SESSION_ID.test(sessionId)) return failure(404, "not_found", "No such checkout.");
  const stripe = getStripe(env);
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.retrieve(sessionId);
  } catch (err) {
    if (isStripeNotFound(err)) return failure(404, "not_found", "No such checkout.");
    return stripeFailure(err, "checkout_return", actor.requestId);
  }
  const owner = session.metadata?.userId ?? session.client_reference_id;
  if (owner !== actor.user.id) return failure(404, "not_found", "No such checkout.");
  if (session.status !== "complete") return { ok: true, kind: "pending" };
  const source: ApplySource = { eventType: "checkout.success_page", requestId: actor.requestId };
  const md = session.metadata ?? {};
  if (session.mode === "subscription") {
    const subId = typeof session.subscription === "string" ? session.subscription : (session.subscription?.id ?? null);
    if (!subId) return { ok: true, kind: "pending" };
    let sub: Stripe.Subscription;
    const readAt = Date.now(); // before the call: see applySubscription
    try {
      sub = await stripe.subscriptions.retrieve(subId);
    } catch (err) {
      return stripeFailure(err, "checkout_return_subscription", actor.requestId);
    }
    let result: ApplyResult;
    try {
      result = await applySubscription(env, sub, source, readAt);
    } catch (err) {
      return notConfirmed(err, session.id, actor);
    }
    const planName = md.planCode ? (cloudPlanByCode(md.planCode)?.name ?? md.planCode) : md.tier ? (voiceTierByCode(md.tier)?.name ?? md.tier) : "Your plan";
    return { ok: true, kind: "subscription", result, planName, deviceId: md.deviceId ?? null };
  }
  let result: OrderResult;
  try {
    result = await recordOrder(env, session, source);
  } catch (err) {
    return notConfirmed(err, session.id, actor);
  }
  return { ok: true, kind: "order", result, productName: productBySku(md.sku ?? "")?.name ?? "Your order" };
}

/**
 * The payment went through but we couldn't write it down (a state Stripe will settle, a price or
 * metadata we don't know, D1 trouble). The page must not fail: the webhook retries until it
 * converges, so the buyer is told to wait, and the cause goes to the log.
 */
function notConfirmed(err: unknown, sessionId: string, actor: BillingActor): CheckoutReturn {
  const settling = err instanceof ActiveWithoutPeriodError;
  log(settling ? "warn" : "error", "checkout_return_not_applied", {
    requestId: actor.requestId,
    session: sessionId,
    userId: actor.user.id,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  });
  if (settling) return { ok: true, kind: "pending" };
  return failure(500, "not_confirmed", "We couldn't record your purchase just now.");
}

// ---------------------------------------------------------------------------------------------
// Reads for pages

export interface BillingSubscriptionView {
  id: string;
  kind: "cloud" | "voice";
  planCode: string | null;
  name: string;
  deviceId: string | null;
  status: string;
  stripeStatus: string | null;
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: number | null;
  notice: "payment_failed" | "cancels_at_period_end" | null;
}

/**
 * The user's live Stripe subscriptions (ACTIVE, or INACTIVE = billed but a payment failed), newest
 * first, each with the notice to show. "Payment failed" comes from Stripe's own status of the
 * re-read subscription (past_due/unpaid), so it appears and clears with convergence.
 */
export async function liveBillingSubscriptions(db: Db, userId: string): Promise<BillingSubscriptionView[]> {
  const rows = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), eq(subscriptions.source, "stripe"), inArray(subscriptions.status, ["ACTIVE", "INACTIVE"])))
    .orderBy(desc(subscriptions.updatedAt));
  return rows.map((s) => {
    const cloud = cloudPlanBySku(s.sku);
    const voice = voiceTierBySku(s.sku);
    return {
      id: s.id,
      kind: cloud ? ("cloud" as const) : ("voice" as const),
      planCode: s.planCode,
      name: cloud?.name ?? voice?.name ?? s.sku,
      deviceId: s.deviceId,
      status: s.status,
      stripeStatus: s.stripeStatus,
      currentPeriodEnd: s.currentPeriodEnd,
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      cancelAt: s.cancelAt,
      notice: billingNotice({
        status: s.status === "ACTIVE" ? "ACTIVE" : s.status === "INACTIVE" ? "INACTIVE" : "CANCELLED",
        stripeStatus: s.stripeStatus ?? "",
        cancelAtPeriodEnd: s.cancelAtPeriodEnd,
        cancelAtMs: s.cancelAt,
      }),
    };
  });
}

export async function hasBillingAccount(db: Db, userId: string): Promise<boolean> {
  const [u] = await db.select({ customerId: users.stripeCustomerId }).from(users).where(eq(users.id, userId)).limit(1);
  return !!u?.customerId;
}

// ---------------------------------------------------------------------------------------------
// Cron

/**
 * Marks entitlements past their expiry as EXPIRED and ends trial subscriptions past their end.
 * Stripe subscription rows are left alone (Stripe is their truth; the next event re-applies
 * them). `updated_at` is not bumped, so a snapshot read before the sweep still wins over it.
 */
export async function expireEntitlements(env: Env, now = Date.now(), limit = 500): Promise<{ entitlementsExpired: number; trialsEnded: number }> {
  const db = getDb(env);
  const due = await db
    .select({ id: entitlements.id, deviceId: entitlements.deviceId, userId: entitlements.userId, key: entitlements.key, source: entitlements.source, expiresAt: entitlements.expiresAt })
    .from(entitlements)
    .where(and(eq(entitlements.status, "ACTIVE"), sql`${entitlements.expiresAt} IS NOT NULL AND ${entitlements.expiresAt} <= ${now}`))
    .limit(limit);
  let expired = 0;
  for (let i = 0; i < due.length; i += 25) {
    const chunk = due.slice(i, i + 25);
    const stmts: Stmt[] = [];
    for (const e of chunk) {
      stmts.push(
        db
          .update(entitlements)
          .set({ status: "EXPIRED", endedAt: sql`COALESCE(${entitlements.endedAt}, ${entitlements.expiresAt})` })
          .where(and(eq(entitlements.id, e.id), eq(entitlements.status, "ACTIVE"), sql`${entitlements.expiresAt} <= ${now}`)),
        auditInsert(db, { event: "entitlements_expired", actorUserId: null, deviceId: e.deviceId, subjectType: "entitlement", subjectId: e.id, detail: { key: e.key, source: e.source, userId: e.userId, expiresAt: e.expiresAt }, at: now }),
      );
    }
    await db.batch(stmts as [Stmt, ...Stmt[]]);
    expired += chunk.length;
  }
  const trials = await db
    .update(subscriptions)
    .set({ status: "EXPIRED", endedAt: sql`COALESCE(${subscriptions.endedAt}, ${subscriptions.currentPeriodEnd})` })
    .where(and(eq(subscriptions.source, "trial"), eq(subscriptions.status, "ACTIVE"), sql`${subscriptions.currentPeriodEnd} <= ${now}`));
  return { entitlementsExpired: expired, trialsEnded: trials.meta.changes ?? 0 };
}
