/** Everything the studio page (/voice) shows a signed-in user, read once per page load. */
import { voiceTierByCode } from "~/domain/plans";
import { tierFeatures } from "~/domain/voice-tiers";
import type { Actor, Deps } from "../deps.server";
import { listPresets } from "./presets.server";
import { findRecording, listRecordings, toRecordingView } from "./recordings.server";
import { nextTierUrl, voiceTier } from "./tier.server";
import { readUsage } from "./usage-ledger.server";
import { listVoices } from "./voices.server";

/** How many recordings the page lists. */
export const PAGE_RECORDINGS = 20;

export async function studioView(deps: Deps, input: { currentId: string | null; page?: number; favoritesOnly?: boolean }, actor: Actor) {
  const list = { page: input.page ?? 1, limit: PAGE_RECORDINGS, favoritesOnly: input.favoritesOnly ?? false };
  const now = actor.now ?? Date.now();
  const at = { ...actor, now };
  const tier = await voiceTier(deps, actor.user.id, now);
  const [usage, voices, presets, recordings, current] = await Promise.all([
    readUsage(deps, actor.user.id, tier, now),
    listVoices(deps, actor.user.id),
    listPresets(deps, actor.user.id, tier),
    listRecordings(deps, list, at),
    input.currentId ? findRecording(deps, input.currentId, at) : Promise.resolve(null),
  ]);
  return {
    tier,
    tierName: voiceTierByCode(tier)!.name,
    features: tierFeatures(tier),
    usage,
    upgradeUrl: nextTierUrl(tier),
    voices,
    presets,
    recordings: recordings.recordings,
    totalRecordings: recordings.total,
    recordingsPage: { page: list.page, favoritesOnly: list.favoritesOnly, hasMore: recordings.hasMore },
    current: current ? toRecordingView(current) : null,
  };
}

export type StudioView = Awaited<ReturnType<typeof studioView>>;
