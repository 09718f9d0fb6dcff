/**
 * The user's voice tier comes from their voice subscription's entitlements (billing writes
 * `voice_tier` entitlements whose sku is the tier code); none in force → Free. Which entitlement
 * is in force and which tier ranks highest are the domain's rules, not SQL's.
 */
import { and, desc, eq } from "drizzle-orm";
import { entitlements, subscriptions } from "~/db/schema";
import { highestVoiceTier } from "~/domain/checkout-policy";
import { entitlementInForce } from "~/domain/entitlement";
import type { VoiceTierCode } from "~/domain/plans";
import { nextVoiceTier, upgradeTier, type UpgradeNeed } from "~/domain/voice-tiers";
import { paths } from "~/lib/paths";
import type { Deps } from "../deps.server";

export type VoiceSubscriptionStatus = (typeof subscriptions.$inferSelect)["status"] | "NONE";

// Voice tier entitlements carry no start in the future, so "in force" here is status and expiry
// (the start is left out, as the tier has always been read).
const inForce = (e: { status: string; expiresAt: number | null }, now: number) => entitlementInForce({ status: e.status, expiresAt: e.expiresAt }, now);

/** The tier, and the status of the voice subscription that decides it (the latest one when none is in force). */
export async function voiceTierFacts(
  { db }: Pick<Deps, "db">,
  userId: string,
  now: number,
): Promise<{ tier: VoiceTierCode; subscriptionStatus: VoiceSubscriptionStatus }> {
  const rows = await db
    .select({ sku: entitlements.sku, status: entitlements.status, expiresAt: entitlements.expiresAt, subscriptionStatus: subscriptions.status })
    .from(entitlements)
    .leftJoin(subscriptions, eq(subscriptions.id, entitlements.subscriptionId))
    .where(and(eq(entitlements.userId, userId), eq(entitlements.key, "voice_tier")))
    .orderBy(desc(entitlements.updatedAt));
  const live = rows.filter((r) => inForce(r, now));
  const deciding = [...live, ...rows.filter((r) => !inForce(r, now))].find((r) => r.subscriptionStatus !== null);
  return { tier: highestVoiceTier(live.map((r) => r.sku)), subscriptionStatus: deciding?.subscriptionStatus ?? "NONE" };
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
