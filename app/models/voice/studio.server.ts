/**
 * Everything the studio page (/voice) shows a signed-in user, read in ONE batch (one D1 round trip
 * after the session check) while the provider's shared voices come from their per-isolate cache.
 * Every statement is scoped by the actor's id.
 */
import { voiceTierByCode } from "~/domain/plans";
import { tierFeatures } from "~/domain/voice-tiers";
import type { Actor, Deps } from "../deps.server";
import { customPresetsQuery, presetListFrom } from "./presets.server";
import { recordingPageFrom, recordingPageQueries, recordingQuery, toRecordingView } from "./recordings.server";
import { nextTierUrl, voiceTierFactsFrom, voiceTierQuery } from "./tier.server";
import { usageFrom, usageQuery } from "./usage-ledger.server";
import { clonesQuery, sharedVoiceList, voicesFrom } from "./voices.server";

/** How many recordings the page lists. */
export const PAGE_RECORDINGS = 20;

export async function studioView(deps: Deps, input: { currentId: string | null; page?: number; favoritesOnly?: boolean; q?: string }, actor: Actor) {
  const { db } = deps;
  const now = actor.now ?? Date.now();
  const at = { ...actor, now };
  const userId = actor.user.id;
  // Just-deleted recordings stay in place on the page, offering "Undo" until their window closes.
  const page = { page: input.page ?? 1, limit: PAGE_RECORDINGS, favoritesOnly: input.favoritesOnly ?? false, q: input.q, withUndoable: true };
  const [shared, [tierRows, usageRows, cloneRows, presetRows, currentRows, ...pageRows]] = await Promise.all([
    sharedVoiceList(deps.env),
    db.batch([
      voiceTierQuery(db, userId),
      usageQuery(db, userId, now),
      clonesQuery(db, userId),
      customPresetsQuery(db, userId),
      recordingQuery(db, input.currentId, at),
      ...recordingPageQueries(db, page, at),
    ]),
  ]);
  const { tier } = voiceTierFactsFrom(tierRows, now);
  const recordings = recordingPageFrom(pageRows, page);
  return {
    tier,
    tierName: voiceTierByCode(tier)!.name,
    features: tierFeatures(tier),
    usage: usageFrom(usageRows, tier, now),
    upgradeUrl: nextTierUrl(tier),
    voices: voicesFrom(shared, cloneRows),
    presets: presetListFrom(presetRows, tier),
    recordings: recordings.recordings,
    totalRecordings: recordings.total,
    recordingsPage: { page: page.page, favoritesOnly: page.favoritesOnly, q: page.q ?? "", hasMore: recordings.hasMore },
    current: currentRows[0] ? toRecordingView(currentRows[0]) : null,
  };
}

export type StudioView = Awaited<ReturnType<typeof studioView>>;
