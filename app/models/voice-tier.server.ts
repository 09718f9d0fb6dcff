import type { Db } from "~/db/client.server";
import type { VoiceTierCode } from "~/domain/plans";
import { voiceTier } from "./voice/tier.server";

/**
 * The voice tier for callers outside the voice area (account, session, services pages) that still
 * pass a db. Voice code uses voiceTier(deps, …) from ./voice/tier.server; this goes when they do.
 */
export function voiceTierForUser(db: Db, userId: string, now = Date.now()): Promise<VoiceTierCode> {
  return voiceTier({ db }, userId, now);
}
