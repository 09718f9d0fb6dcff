/** What the studio and its API say about the user: tier, allowance, features, where to upgrade. */
import type { VoiceTierCode } from "~/domain/plans";
import { tierFeatures, type TierFeatures } from "~/domain/voice-tiers";
import type { Actor, Deps } from "../deps.server";
import { nextTierUrl, voiceTier, voiceTierFacts, type VoiceSubscriptionStatus } from "./tier.server";
import { readUsage, type UsageView } from "./usage-ledger.server";

export interface VoiceProfile {
  userId: string;
  email: string;
  subscriptionTier: VoiceTierCode;
  /** The voice subscription's status; NONE when the user never had one. */
  subscriptionStatus: VoiceSubscriptionStatus;
  recordingsThisMonth: number;
  /** null = unlimited. */
  maxRecordings: number | null;
  resetDate: number;
  features: TierFeatures;
  upgradeUrl: string | null;
}

export async function voiceProfile(deps: Deps, actor: Actor): Promise<VoiceProfile> {
  const now = actor.now ?? Date.now();
  const { tier, subscriptionStatus } = await voiceTierFacts(deps, actor.user.id, now);
  const usage = await readUsage(deps, actor.user.id, tier, now);
  return {
    userId: actor.user.id,
    email: actor.user.email,
    subscriptionTier: tier,
    subscriptionStatus,
    recordingsThisMonth: usage.used,
    maxRecordings: usage.limit,
    resetDate: usage.resetDate,
    features: tierFeatures(tier),
    upgradeUrl: nextTierUrl(tier),
  };
}

/** This month's usage under the actor's current tier. */
export async function voiceUsage(deps: Deps, actor: Actor): Promise<UsageView> {
  const now = actor.now ?? Date.now();
  return readUsage(deps, actor.user.id, await voiceTier(deps, actor.user.id, now), now);
}
