import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { getDb, type Db } from "~/db/client.server";
import { entitlements, orders, stripeEvents, subscriptions, users, type Subscription } from "~/db/schema";
import {
  CLOUD_PLANS,
  VOICE_TIERS,
  cloudPlanByCode,
  cloudPlanBySku,
  productBySku,
  voiceTierByCode,
  voiceTierBySku,
  type VoiceTierCode,
} from "~/domain/plans";
import {
  billingNotice,
  entitlementsFor,
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
import { auditInsert, recordAudit } from "./audit.server";
import { getOwnedDevice, hasLivePaidPlan } from "./devices.server";

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
const TIER_RANK: Record<VoiceTierCode, number> = { FREE: 0, BASIC: 1, PREMIUM: 2 };

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

/** POST /api/checkout/cloud-storage: a Checkout Session for one cloud plan on one owned device. */
export async function startCloudCheckout(env: Env, input: { deviceId: string; planCode: string }, actor: BillingActor): Promise<RedirectResult> {
  const misconfigured = modeProblem(env, actor.requestId);
  if (misconfigured) return misconfigured;
  const db = getDb(env);
  const plan = cloudPlanByCode(input.planCode);
  if (!plan || !plan.purchasable || !plan.stripePriceKey) {
    return refuse(db, actor, failure(400, "plan_not_purchasable", "That plan can't be bought. The Local plan is free and needs no subscription."), { planCode: input.planCode });
  }
  // Device.id only: an ownership id, someone else's device or a made-up id are all "no such device".
  const owned = await getOwnedDevice(db, input.deviceId, actor.user.id);
  if (!owned) return failure(404, "not_found", "No such device.");
  if (await hasLivePaidPlan(db, owned.device.id)) {
    return refuse(
      db,
      actor,
      failure(409, "already_subscribed_use_billing_portal", "This camera already has a paid plan. Change or cancel it in the billing portal.", { billingPortalUrl: "/account/services" }),
      { planCode: plan.code },
      owned.device.id,
    );
  }
  const metadata = { checkoutType: CHECKOUT_TYPES.cloud, userId: actor.user.id, deviceId: owned.device.id, planCode: plan.code };
  try {
    const customer = await ensureStripeCustomer(env, actor.user);
    const session = await getCheckoutStripe(env).checkout.sessions.create({
      mode: "subscription",
      customer,
      client_reference_id: actor.user.id,
      line_items: [{ price: getConfig(env).stripePrices[plan.stripePriceKey], quantity: 1 }],
      metadata,
      subscription_data: { metadata },
      success_url: appUrl(env, "/checkout/success?session_id={CHECKOUT_SESSION_ID}"),
      cancel_url: appUrl(env, "/account/services?checkout=cancelled"),
      expires_at: Math.floor(Date.now() / 1000) + CHECKOUT_EXPIRY_SECONDS,
    });
    if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);
    await recordAudit(db, { event: "checkout_started", actorUserId: actor.user.id, deviceId: owned.device.id, subjectType: "checkout_session", subjectId: session.id, detail: { planCode: plan.code }, requestId: actor.requestId });
    return { ok: true, url: session.url };
  } catch (err) {
    return stripeFailure(err, "cloud_checkout", actor.requestId);
  }
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
  const tier = voiceTierByCode(input.tier);
  if (!tier || !tier.stripePriceKey) {
    return refuse(db, actor, failure(400, "plan_not_purchasable", "That voice tier can't be bought. Voice Free needs no subscription."), { tier: input.tier });
  }
  const live = await liveVoiceSubscriptions(db, actor.user.id);
  const held = live.map((s) => voiceTierBySku(s.sku)?.code ?? "FREE").reduce((m, c) => Math.max(m, TIER_RANK[c]), 0);
  // Any live voice subscription: upgrades and downgrades happen in the billing portal, so a
  // customer can never end up paying for two tiers at once.
  if (held > 0) {
    return refuse(
      db,
      actor,
      failure(409, "already_subscribed_use_billing_portal", "You already have a voice subscription. Change your tier in the billing portal.", { billingPortalUrl: "/account/services" }),
      { tier: tier.code },
    );
  }
  const metadata = { checkoutType: CHECKOUT_TYPES.voice, userId: actor.user.id, tier: tier.code };
  try {
    const customer = await ensureStripeCustomer(env, actor.user);
    const session = await getCheckoutStripe(env).checkout.sessions.create({
      mode: "subscription",
      customer,
      client_reference_id: actor.user.id,
      line_items: [{ price: getConfig(env).stripePrices[tier.stripePriceKey], quantity: 1 }],
      metadata,
      subscription_data: { metadata },
      success_url: appUrl(env, "/checkout/success?session_id={CHECKOUT_SESSION_ID}"),
      cancel_url: appUrl(env, "/account/services?checkout=cancelled"),
      expires_at: Math.floor(Date.now() / 1000) + CHECKOUT_EXPIRY_SECONDS,
    });
    if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);
    await recordAudit(db, { event: "checkout_started", actorUserId: actor.user.id, subjectType: "checkout_session", subjectId: session.id, detail: { tier: tier.code }, requestId: actor.requestId });
    return { ok: true, url: session.url };
  } catch (err) {
    return stripeFailure(err, "voice_checkout", actor.requestId);
  }
}

/** POST /api/checkout/product {sku, quantity}: hardware or a SIM data plan, shipped. */
export async function startProductCheckout(env: Env, input: { sku: string; quantity: number }, actor: BillingActor): Promise<RedirectResult> {
  const misconfigured = modeProblem(env, actor.requestId);
  if (misconfigured) return misconfigured;
  const db = getDb(env);
  const product = productBySku(input.sku);
  if (!product || !product.listed) return failure(404, "not_found", "No such product.");
  if ((product.kind !== "hardware" && product.kind !== "sim_plan") || !product.stripePriceKey) {
    return refuse(db, actor, failure(400, "product_not_purchasable", "Plans are bought from Account › Services, for a camera."), { sku: product.sku });
  }
  const metadata = { checkoutType: CHECKOUT_TYPES.product, userId: actor.user.id, sku: product.sku, quantity: String(input.quantity) };
  try {
    const customer = await ensureStripeCustomer(env, actor.user);
    const session = await getCheckoutStripe(env).checkout.sessions.create({
      mode: "payment",
      customer,
      client_reference_id: actor.user.id,
      line_items: [{ price: getConfig(env).stripePrices[product.stripePriceKey], quantity: input.quantity }],
      shipping_address_collection: { allowed_countries: [...SHIPPING_COUNTRIES] },
      metadata,
      payment_intent_data: { metadata },
      success_url: appUrl(env, "/checkout/success?session_id={CHECKOUT_SESSION_ID}"),
      cancel_url: appUrl(env, `/store/${product.sku}`),
      expires_at: Math.floor(Date.now() / 1000) + CHECKOUT_EXPIRY_SECONDS,
    });
    if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);
    await recordAudit(db, { event: "checkout_started", actorUserId: actor.user.id, subjectType: "checkout_session", subjectId: session.id, detail: { sku: product.sku, quantity: input.quantity }, requestId: actor.requestId });
    return { ok: true, url: session.url };
  } catch (err) {
    return stripeFailure(err, "product_checkout", actor.requestId);
  }
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
 * THE way Stripe subscription state gets into D1, for the webhook and the checkout success page
 * alike. Takes the subscription as just re-read from Stripe (it calls Stripe for nothing), maps it
 * with the pure domain module and upserts the subscription row and its entitlement rows (and the
 * event record, if any) in one db.batch, keyed by Stripe ids.
 *
 * Rows carry `updated_at` = when the snapshot was read; an upsert only overwrites rows written from
 * an older read, so two racing deliveries can't leave the older snapshot on top.
 *
 * @throws ActiveWithoutPeriodError (active but no period: nothing is written), UnknownPriceError,
 *   or an Error for a cloud plan without a device; callers answer 5xx so Stripe retries.
 */
export async function applySubscription(env: Env, sub: StripeSubscriptionLike, source: ApplySource, now = Date.now()): Promise<ApplyResult> {
  const db = getDb(env);
  const config = getConfig(env);
  const local = toLocalSubscription(sub, { prices: config.stripePrices, nowMs: now });
  if (!local.plan) throw new UnknownPriceError(local.stripeSubscriptionId, local.priceId);

  let userId = local.metadata.userId ?? null;
  if (!userId && local.stripeCustomerId) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.stripeCustomerId, local.stripeCustomerId)).limit(1);
    userId = u?.id ?? null;
  }
  if (!userId) {
    // Not one of ours (made in the Dashboard for a customer we don't know): nothing to grant.
    log("warn", "stripe_subscription_ignored", { requestId: source.requestId, subscription: local.stripeSubscriptionId, reason: "unknown_user" });
    if (source.eventId) {
      const r = await runBatch(db, [eventRow(db, source, "ignored", local.stripeSubscriptionId, now)]);
      if (r === "duplicate") return { outcome: "duplicate" };
    }
    return { outcome: "ignored", reason: "unknown_user" };
  }

  const isCloud = local.plan.kind === "cloud";
  const deviceId = isCloud ? (local.metadata.deviceId ?? null) : null;
  const rows = entitlementsFor(local, { userId, deviceId });
  const sku = local.plan.kind === "cloud" ? local.plan.plan.sku : local.plan.tier.sku;
  const planCode = local.plan.kind === "cloud" ? local.plan.plan.code : local.plan.tier.code;
  const ext = local.stripeSubscriptionId;

  const stmts: Stmt[] = [];
  if (source.eventId) stmts.push(eventRow(db, source, "subscription_applied", ext, now));
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
    updatedAt: now,
  };
  stmts.push(
    db
      .insert(subscriptions)
      .values({ id: crypto.randomUUID(), externalId: ext, createdAt: now, ...subValues })
      .onConflictDoUpdate({ target: subscriptions.externalId, set: subValues, setWhere: sql`excluded.updated_at >= subscriptions.updated_at` }),
  );
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
          updatedAt: now,
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
            updatedAt: now,
          },
          setWhere: sql`excluded.updated_at >= entitlements.updated_at`,
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
      at: now,
    }),
  );
  if ((await runBatch(db, stmts)) === "duplicate") return { outcome: "duplicate" };
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

const MAX_WEBHOOK_BYTES = 1024 * 1024;
const SUBSCRIPTION_EVENTS = new Set(["customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted", "customer.subscription.paused", "customer.subscription.resumed"]);
const INVOICE_EVENTS = new Set(["invoice.paid", "invoice.payment_failed"]);
const CHECKOUT_EVENTS = new Set(["checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed"]);

/** Re-reads the subscription from Stripe (events arrive in any order) and applies what it says now. */
async function syncSubscription(env: Env, subscriptionId: string, source: ApplySource): Promise<ApplyResult> {
  const sub = await getStripe(env).subscriptions.retrieve(subscriptionId);
  return applySubscription(env, sub, source);
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
  // Events are a few KB; refuse to buffer anything huge before the signature is checked.
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_WEBHOOK_BYTES) return jsonError(413, "payload_too_large", "The webhook body is too large.");
  const signature = request.headers.get("Stripe-Signature");
  const raw = await request.text();
  if (!signature) return jsonError(400, "missing_signature", "The Stripe-Signature header is missing.");
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
  if (session.mode === "subscription") {
    const subId = typeof session.subscription === "string" ? session.subscription : (session.subscription?.id ?? null);
    if (!subId) return { ok: true, kind: "pending" };
    let sub: Stripe.Subscription;
    try {
      sub = await stripe.subscriptions.retrieve(subId);
    } catch (err) {
      return stripeFailure(err, "checkout_return_subscription", actor.requestId);
    }
    const result = await applySubscription(env, sub, source);
    const md = session.metadata ?? {};
    const planName = md.planCode ? (cloudPlanByCode(md.planCode)?.name ?? md.planCode) : md.tier ? (voiceTierByCode(md.tier)?.name ?? md.tier) : "Your plan";
    return { ok: true, kind: "subscription", result, planName, deviceId: md.deviceId ?? null };
  }
  const result = await recordOrder(env, session, source);
  return { ok: true, kind: "order", result, productName: productBySku(session.metadata?.sku ?? "")?.name ?? "Your order" };
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
