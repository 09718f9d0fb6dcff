/**
 * The user's voice tier comes from their voice subscription's entitlements (billing writes
 * `voice_tier` entitlements whose sku is the tier code); none in force → Free. Which entitlement
 * is in force and which tier ranks highest are the domain's rules, not SQL's.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { entitlements, subscriptions } from "~/db/schema";
import { highestVoiceTier } from "~/domain/checkout-policy";
import { entitlementInForce } from "~/domain/entitlement";
import type { VoiceTierCode } from "~/domain/plans";
import { nextVoiceTier, upgradeTier, type UpgradeNeed } from "~/domain/voice-tiers";
import { paths } from "~/lib/paths";
import type { Db } from "~/db/client.server";
import type { Deps } from "../deps.server";

export type VoiceSubscriptionStatus = (typeof subscriptions.$inferSelect)["status"] | "NONE";

// Voice tier entitlements carry no start in the future, so "in force" here is status and expiry
// (the start is left out, as the tier has always been read).
const inForce = (e: { status: string; expiresAt: number | null }, now: number) => entitlementInForce({ status: e.status, expiresAt: e.expiresAt }, now);

/**
 * The statement voiceTierFacts reads (for a caller that batches it with its own). The subscription's
 * status gets a name of its own: in a batch D1 keys row values by column name, and two `status`
 * columns would collapse into one.
 */
export const voiceTierQuery = (db: Db, userId: string) =>
  db
    .select({
      sku: entitlements.sku,
      status: entitlements.status,
      expiresAt: entitlements.expiresAt,
      subscriptionStatus: sql<VoiceSubscriptionStatus | null>`${subscriptions.status}`.as("subscription_status"),
      stripeStatus: sql<string | null>`${subscriptions.stripeStatus}`.as("subscription_stripe_status"),
    })
    .from(entitlements)
    .leftJoin(subscriptions, eq(subscriptions.id, entitlements.subscriptionId))
    .where(and(eq(entitlements.userId, userId), eq(entitlements.key, "voice_tier")))
    .orderBy(desc(entitlements.updatedAt));

export function voiceTierFactsFrom(rows: Awaited<ReturnType<typeof voiceTierQuery>>, now: number): VoiceTierFacts {
  const live = rows.filter((r) => inForce(r, now));
  const deciding = [...live, ...rows.filter((r) => !inForce(r, now))].find((r) => r.subscriptionStatus !== null);
  return {
    tier: highestVoiceTier(live.map((r) => r.sku)),
    subscriptionStatus: deciding?.subscriptionStatus ?? "NONE",
    stripeStatus: deciding?.stripeStatus ?? null,
  };
}

/** The tier, and our status and Stripe's (null when none was recorded) of the voice subscription that decides it. */
export interface VoiceTierFacts {
  tier: VoiceTierCode;
  subscriptionStatus: VoiceSubscriptionStatus;
  stripeStatus: string | null;
}

/** The tier, and the status of the voice subscription that decides it (the latest one when none is in force). */
export async function voiceTierFacts(deps: Pick<Deps, "db">, userId: string, now: number): Promise<VoiceTierFacts> {
  return voiceTierFactsFrom(await voiceTierQuery(deps.db, userId), now);
}

export async function voiceTier(deps: Pick<Deps, "db">, userId: string, now: number = Date.now()): Promise<VoiceTierCode> {
  return (await voiceTierFacts(deps, userId, now)).tier;
}

/** Where an upgrade from `tier` for `need` is bought: that tier's store page. */
export function upgradeUrl(tier: VoiceTierCode, need: UpgradeNeed): string {
  return paths.store(upgradeTier(tier, need).sku);
}

/** Where "upgrade" points from a tier in general: the next tier's store page (null at the top). */
export function nextTierUrl(tier: VoiceTierCode): string | null {
  const next = nextVoiceTier(tier);
  return next ? paths.store(next.sku) : null;
}
