/**
 * Billing's projection of Stripe (ADR 008). Local subscription/entitlement rows are a projection
 * of Stripe's current state: every writer re-reads the object from Stripe and hands it to
 * `applySubscription`, which upserts rows keyed by Stripe ids. So duplicates, retries and
 * out-of-order webhooks all converge on whatever Stripe says now.
 */
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import type { Stmt } from "~/db/d1.server";
import { entitlements, subscriptions, users } from "~/db/schema";
import { CLOUD_SUBSCRIPTION_SKUS, paidTwice, VOICE_SUBSCRIPTION_SKUS } from "~/domain/checkout-policy";
import { refuse, type Refusal } from "~/domain/result";
import {
  ActiveWithoutPeriodError,
  entitlementsFor,
  subscriptionOwnerHints,
  toLocalSubscription,
  type LocalSubscription,
  type StripeSubscriptionLike,
} from "~/domain/stripe-subscription";
import { cancellationMailDue, paymentFailedMailDue, type MailKind } from "~/domain/mail-policy";
import { LIVE_SUBSCRIPTION_STATUSES } from "~/domain/subscription-status";
import { getConfig } from "~/lib/config.server";
import { log } from "~/lib/log.server";
import { paths } from "~/lib/paths";
import { getStripe } from "~/lib/stripe.server";
import { auditInsert } from "../audit.server";
import type { Deps } from "../deps.server";
import { enqueueMail, sendMailFor, userWithId } from "../mail/outbox.server";
import { duplicate, eventRow, recordIgnored, runEventBatch, type ApplySource, type Duplicate, type Ignored } from "./event-record.server";
import { readStripe, type StripeReadFailed } from "./stripe-calls.server";

export type Applied = { ok: true; outcome: "applied"; local: LocalSubscription; userId: string; deviceId: string | null };

/**
 * One of our subscriptions that can't be written down yet; nothing was written. The webhook
 * answers 5xx so Stripe retries (a state Stripe will settle, or our configuration to fix).
 */
export type ApplyRefusal =
  | Refusal<"active_without_period", { subscriptionId: string }>
  | Refusal<"unknown_price", { subscriptionId: string; priceId: string | null }>
  | Refusal<"cloud_plan_without_device", { subscriptionId: string }>;

export type ApplyResult = Applied | Ignored | Duplicate | ApplyRefusal;

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
    kind === "cloud"
      ? and(eq(subscriptions.deviceId, deviceId ?? ""), inArray(subscriptions.sku, [...CLOUD_SUBSCRIPTION_SKUS]))
      : and(eq(subscriptions.userId, userId), inArray(subscriptions.sku, [...VOICE_SUBSCRIPTION_SKUS]));
  return db
    .select({ externalId: subscriptions.externalId, status: subscriptions.status })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.source, "stripe"),
        or(and(target, inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES])), eq(subscriptions.externalId, ext)),
      ),
    );
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
 * A subscription that isn't ours (see ownerOf) is ignored whatever it contains. For one of ours it
 * refuses, writing nothing, when it is active without a period (`active_without_period`), when our
 * configuration lacks its price (`unknown_price`), or when a cloud plan names no device
 * (`cloud_plan_without_device`); callers answer 5xx so Stripe retries.
 */
export async function applySubscription(deps: Deps, sub: StripeSubscriptionLike, source: ApplySource, readAt = Date.now()): Promise<ApplyResult> {
  const { env, db } = deps;
  const subId = typeof sub.id === "string" && sub.id ? sub.id : null;
  const userId = await ownerOf(db, sub);
  if (!userId) {
    // Never a 5xx: Stripe would retry for days and then disable the endpoint for everyone.
    const hints = subscriptionOwnerHints(sub);
    log("warn", "stripe_subscription_ignored", {
      requestId: source.requestId,
      eventId: source.eventId,
      subscription: subId,
      customer: hints.customerId,
      reason: "not_ours",
    });
    return recordIgnored(db, source, "not_ours", subId);
  }

  const config = getConfig(env);
  let local: LocalSubscription;
  try {
    local = toLocalSubscription(sub, { prices: config.stripePrices, nowMs: readAt });
  } catch (err) {
    // Active but no period: we never invent an expiry for a paying customer; Stripe will settle it.
    if (err instanceof ActiveWithoutPeriodError) return refuse("active_without_period", { subscriptionId: err.subscriptionId });
    throw err;
  }
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
    return refuse("unknown_price", { subscriptionId: local.stripeSubscriptionId, priceId: local.priceId });
  }

  const plan = local.plan;
  const deviceId = plan.kind === "cloud" ? (local.metadata.deviceId ?? null) : null;
  if (plan.kind === "cloud" && !deviceId) return refuse("cloud_plan_without_device", { subscriptionId: local.stripeSubscriptionId });
  const rows = entitlementsFor(local, { userId, deviceId });
  const sku = plan.kind === "cloud" ? plan.plan.sku : plan.tier.sku;
  const planCode = plan.kind === "cloud" ? plan.plan.code : plan.tier.code;
  const ext = local.stripeSubscriptionId;
  const writtenAt = Date.now();
  const duplicates =
    local.status === "CANCELLED" ? [] : paidTwice({ externalId: ext, status: local.status }, await targetRows(db, ext, plan.kind, userId, deviceId));

  const stmts: Stmt[] = [];
  if (source.eventId) stmts.push(eventRow(db, { ...source, eventId: source.eventId }, "subscription_applied", ext, writtenAt));
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
      detail: {
        userId,
        via: source.eventType,
        eventId: source.eventId ?? null,
        ...(source.staff ? { staff: source.staff } : {}),
        status: local.status,
        stripeStatus: local.stripeStatus,
        planCode,
        periodEnd: local.periodEndMs,
        cancelAtPeriodEnd: local.cancelAtPeriodEnd,
      },
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
        event: "subscription_paid_twice",
        subjectType: "subscription",
        subjectId: ext,
        detail: {
          userId,
          deviceId,
          kind: plan.kind,
          planCode,
          duplicates,
          customer: local.stripeCustomerId,
          via: source.eventType,
          eventId: source.eventId ?? null,
        },
        requestId: source.requestId,
        at: writtenAt,
      }),
    );
  }
  // Mails this state makes due, in the same batch (ADR 019): once per invoice / per subscription.
  const mails: { kind: MailKind; causeId: string; at: number }[] = [];
  const planName = plan.kind === "cloud" ? plan.plan.name : plan.tier.name;
  if (source.invoice && paymentFailedMailDue(source.eventType, local.stripeStatus)) {
    mails.push({ kind: "payment_failed", causeId: source.invoice.id, at: stmts.length });
    stmts.push(
      enqueueMail(db, {
        kind: "payment_failed",
        causeId: source.invoice.id,
        recipient: userWithId(userId),
        payload: { planName, retryAt: source.invoice.nextPaymentAttempt, manageUrl: new URL(paths.services, config.APP_ORIGIN).toString() },
        now: writtenAt,
      }),
    );
  }
  if (cancellationMailDue(local.status)) {
    mails.push({ kind: "subscription_cancelled", causeId: ext, at: stmts.length });
    stmts.push(
      enqueueMail(db, {
        kind: "subscription_cancelled",
        causeId: ext,
        recipient: userWithId(userId),
        payload: { planName, servicesUrl: new URL(paths.services, config.APP_ORIGIN).toString() },
        now: writtenAt,
      }),
    );
  }
  const results = await runEventBatch(db, stmts);
  if (results === "duplicate") return duplicate();
  // After the commit, the mails this batch enqueued (not those an earlier delivery did); a failed send stays pending for the cron.
  for (const m of mails) if (((results[m.at] as D1Result | undefined)?.meta.changes ?? 0) > 0) await sendMailFor(deps, m.kind, m.causeId);
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
  return { ok: true, outcome: "applied", local, userId, deviceId };
}

/** Re-reads the subscription from Stripe (events arrive in any order) and applies what it says now. */
export async function syncSubscription(deps: Deps, subscriptionId: string, source: ApplySource): Promise<ApplyResult | StripeReadFailed> {
  const readAt = Date.now(); // before the call: see applySubscription
  const read = await readStripe(() => getStripe(deps.env).subscriptions.retrieve(subscriptionId));
  if (!read.ok) return read;
  return applySubscription(deps, read.value, source, readAt);
}
