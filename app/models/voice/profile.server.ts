/** What the studio and its API say about the user: tier, allowance, features, where to upgrade. */
import type { VoiceTierCode } from "~/domain/plans";
import { clientSubscriptionStatus, type ClientSubscriptionStatus } from "~/domain/subscription-status";
import { clientTierFeatures, tierFeatures, type ClientTierFeatures, type TierFeatures } from "~/domain/voice-tiers";
import type { Actor, Deps } from "../deps.server";
import { nextTierUrl, voiceTier, voiceTierFacts } from "./tier.server";
import { readUsage, type UsageView } from "./usage-ledger.server";

export interface VoiceProfile {
  userId: string;
  email: string;
  subscriptionTier: VoiceTierCode;
  /** The deciding voice subscription's status in Stripe's words ("active" on the free tier). */
  subscriptionStatus: ClientSubscriptionStatus;
  recordingsThisMonth: number;
  /** null = unlimited. */
  maxRecordings: number | null;
  resetDate: number;
  /** Ours and the documented clients' names for the same tier facts. */
  features: TierFeatures & ClientTierFeatures;
  upgradeUrl: string | null;
}

export async function voiceProfile(deps: Deps, actor: Actor): Promise<VoiceProfile> {
  const now = actor.now ?? Date.now();
  const { tier, subscriptionStatus, stripeStatus } = await voiceTierFacts(deps, actor.user.id, now);
  const usage = await readUsage(deps, actor.user.id, tier, now);
  return {
    userId: actor.user.id,
    email: actor.user.email,
    subscriptionTier: tier,
    subscriptionStatus: clientSubscriptionStatus(subscriptionStatus, stripeStatus),
    recordingsThisMonth: usage.used,
    maxRecordings: usage.limit,
    resetDate: usage.resetDate,
    features: { ...tierFeatures(tier), ...clientTierFeatures(tier) },
    upgradeUrl: nextTierUrl(tier),
  };
}

/** This month's usage under the actor's current tier. */
export async function voiceUsage(deps: Deps, actor: Actor): Promise<UsageView> {
  const now = actor.now ?? Date.now();
  return readUsage(deps, actor.user.id, await voiceTier(deps, actor.user.id, now), now);
}
