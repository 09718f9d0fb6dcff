/**
 * Instant voice cloning, for tiers that include it (Basic and Premium: ADR 009). At most
 * MAX_CLONES_PER_USER per user, held by ONE `INSERT … SELECT … WHERE (SELECT COUNT(*) … WHERE
 * user_id = ?) < MAX_CLONES_PER_USER` (a count check before the provider call answers the common
 * case without spending a voice slot). A provider voice whose row can't be written is logged as
 * `voice_clone_orphaned` (our client has no delete).
 */
import { count, eq, sql } from "drizzle-orm";
import { voiceClones } from "~/db/schema";
import { refuse, type Refusal } from "~/domain/result";
import { checkCloneSamples, MAX_CLONES_PER_USER, SNIFF_BYTES, type UploadCheck } from "~/domain/voice-input";
import { canCloneVoice } from "~/domain/voice-tiers";
import { voiceTierByCode, type VoiceTierCode } from "~/domain/plans";
import { ElevenLabsError } from "~/lib/elevenlabs.server";
import { log } from "~/lib/log.server";
import type { Actor, Deps } from "../deps.server";
import type { CloneInput } from "./inputs";
import { upgradeUrl, voiceTier } from "./tier.server";
import { elevenLabs, providerUnavailable, type CloneView, type ProviderUnavailable } from "./voices.server";

export type CloningLocked = Refusal<"feature_locked", { feature: "voice_cloning"; planName: string; upgradeUrl: string }>;

function cloningLocked(tier: VoiceTierCode): CloningLocked {
  return refuse("feature_locked", {
    feature: "voice_cloning" as const,
    planName: voiceTierByCode(tier)!.name,
    upgradeUrl: upgradeUrl(tier, { feature: "voice_cloning" }),
  });
}

/** Whether the actor's tier includes cloning: asked before an upload is even read. */
export async function mayCloneVoice(deps: Deps, actor: Actor): Promise<{ ok: true } | CloningLocked> {
  const tier = await voiceTier(deps, actor.user.id, actor.now);
  return canCloneVoice(tier) ? { ok: true } : cloningLocked(tier);
}

export type CloneResult =
  | { ok: true; voice: CloneView; requiresVerification: boolean }
  | CloningLocked
  | Exclude<UploadCheck, { ok: true }>
  | Refusal<"clone_limit_reached" | "duplicate_files">
  | Refusal<"unsupported_file_type", { file?: string }>
  | Refusal<"storage_failed", { what: "clone" }>
  | ProviderUnavailable;

export async function cloneVoice(deps: Deps, input: CloneInput, actor: Actor): Promise<CloneResult> {
  const { db, env } = deps;
  const userId = actor.user.id;
  const now = actor.now ?? Date.now();
  const tier = await voiceTier(deps, userId, now);
  if (!canCloneVoice(tier)) return cloningLocked(tier);
  const samples = await Promise.all(
    input.files.map(async (f) => ({ name: f.name || "sample", type: f.type, size: f.size, head: new Uint8Array(await f.slice(0, SNIFF_BYTES).arrayBuffer()) })),
  );
  const check = checkCloneSamples(samples);
  if (!check.ok) return check;
  // A cheap early answer before the provider spends a voice slot; the insert below is the real guard.
  const [existing] = await db.select({ n: count() }).from(voiceClones).where(eq(voiceClones.userId, userId));
  if ((existing?.n ?? 0) >= MAX_CLONES_PER_USER) return refuse("clone_limit_reached");
  let added: { voiceId: string; requiresVerification: boolean };
  try {
    added = await elevenLabs(env).addVoice({
      name: input.name,
      description: input.description ?? undefined,
      files: input.files,
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    if (err instanceof ElevenLabsError && err.status === 400)
      return err.code === "duplicate_files" ? refuse("duplicate_files") : refuse("unsupported_file_type", {});
    return providerUnavailable(err, "cloning");
  }
  const voice = { voiceId: added.voiceId, name: input.name, sampleCount: input.files.length, createdAt: now };
  // Count and insert in ONE statement, so concurrent clones can't pass the limit together (the
  // SELECT lists the columns in the table's definition order).
  // Whatever keeps the row out (a lost race, a D1 failure) leaves the provider's voice orphaned:
  // our client has no delete, so it is logged at error level for someone to remove (ADR 009).
  const orphaned = (reason: string, error?: unknown) =>
    log("error", "voice_clone_orphaned", {
      userId,
      voiceId: added.voiceId,
      reason,
      error: error === undefined ? undefined : error instanceof Error ? error.message : String(error),
    });
  let inserted: D1Result;
  try {
    inserted = await db.insert(voiceClones).select(
      sql`SELECT ${crypto.randomUUID()}, ${userId}, ${voice.voiceId}, ${voice.name}, ${voice.sampleCount}, ${voice.createdAt}
          WHERE (SELECT COUNT(*) FROM ${voiceClones} WHERE ${eq(voiceClones.userId, userId)}) < ${MAX_CLONES_PER_USER}`,
    );
  } catch (err) {
    orphaned("insert_failed", err);
    return refuse("storage_failed", { what: "clone" as const });
  }
  if ((inserted.meta.changes ?? 0) === 0) {
    orphaned("clone_limit_reached");
    return refuse("clone_limit_reached");
  }
  return { ok: true, voice, requiresVerification: added.requiresVerification };
}
