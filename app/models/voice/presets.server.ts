/**
 * Presets: the catalogue's system presets (by tier) and a Premium user's own saved settings, at
 * most MAX_CUSTOM_PRESETS, held by ONE `INSERT … SELECT … WHERE (SELECT COUNT(*) …) < N` (ADR 009).
 */
import { and, eq, sql } from "drizzle-orm";
import { voicePresets } from "~/db/schema";
import { VOICE_PRESETS, voiceTierByCode, type VoiceTierCode } from "~/domain/plans";
import { refuse, type Refusal } from "~/domain/result";
import { MAX_CUSTOM_PRESETS, tierFeatures, type CustomPreset, type VoiceSettings } from "~/domain/voice-tiers";
import type { Db } from "~/db/client.server";
import type { Actor, Deps } from "../deps.server";
import type { PresetInput } from "./inputs";
import { upgradeUrl, voiceTier } from "./tier.server";

export interface SystemPresetView extends VoiceSettings {
  id: string;
  name: string;
  /** Included in the user's tier. */
  available: boolean;
}

export interface CustomPresetView extends CustomPreset {
  createdAt: number;
}

export interface PresetList {
  system: SystemPresetView[];
  custom: CustomPresetView[];
  customPresetsAllowed: boolean;
}

const toCustom = (r: typeof voicePresets.$inferSelect): CustomPresetView => ({
  id: r.id,
  name: r.name,
  stability: r.stability,
  similarityBoost: r.similarityBoost,
  style: r.style,
  speed: r.speed,
  createdAt: r.createdAt,
});

/** The user's own presets, as a statement (for a caller that batches it with its own). */
export const customPresetsQuery = (db: Db, userId: string) =>
  db.select().from(voicePresets).where(eq(voicePresets.userId, userId)).orderBy(voicePresets.createdAt);

export function presetListFrom(rows: (typeof voicePresets.$inferSelect)[], tier: VoiceTierCode): PresetList {
  const features = tierFeatures(tier);
  const system = VOICE_PRESETS.map((p) => ({ ...p, available: features.presetIds.includes(p.id) }));
  return { system, custom: rows.map(toCustom), customPresetsAllowed: features.customPresets };
}

export async function listPresets(deps: Deps, userId: string, tier: VoiceTierCode): Promise<PresetList> {
  return presetListFrom(await customPresetsQuery(deps.db, userId), tier);
}

/** The user's own preset (someone else's is null, like one that doesn't exist). */
export async function getCustomPreset({ db }: Deps, userId: string, id: string): Promise<CustomPreset | null> {
  const [row] = await db
    .select()
    .from(voicePresets)
    .where(and(eq(voicePresets.id, id), eq(voicePresets.userId, userId)))
    .limit(1);
  return row ? toCustom(row) : null;
}

export type CreatePresetResult =
  | { ok: true; preset: CustomPresetView }
  | Refusal<"feature_locked", { feature: "custom_preset"; planName: string; upgradeUrl: string }>
  | Refusal<"preset_limit_reached">;

export async function createPreset(deps: Deps, input: PresetInput, actor: Actor): Promise<CreatePresetResult> {
  const userId = actor.user.id;
  const now = actor.now ?? Date.now();
  const tier = await voiceTier(deps, userId, now);
  if (!tierFeatures(tier).customPresets) {
    return refuse("feature_locked", {
      feature: "custom_preset" as const,
      planName: voiceTierByCode(tier)!.name,
      upgradeUrl: upgradeUrl(tier, { feature: "custom_preset" }),
    });
  }
  const row = { id: crypto.randomUUID(), userId, ...input, createdAt: now };
  // Count and insert in ONE statement: concurrent requests can't pass the limit together (the
  // SELECT lists the columns in the table's definition order).
  const inserted = await deps.db.insert(voicePresets).select(
    sql`SELECT ${row.id}, ${userId}, ${row.name}, ${row.stability}, ${row.similarityBoost}, ${row.style}, ${row.speed}, ${row.createdAt}
        WHERE (SELECT COUNT(*) FROM ${voicePresets} WHERE ${eq(voicePresets.userId, userId)}) < ${MAX_CUSTOM_PRESETS}`,
  );
  if ((inserted.meta.changes ?? 0) === 0) return refuse("preset_limit_reached");
  return { ok: true, preset: toCustom(row) };
}

/** Deletes the user's own preset; someone else's (or none) is not found. */
export async function deletePreset({ db }: Deps, id: string, actor: Actor): Promise<{ ok: true } | Refusal<"not_found", { subject: "preset" }>> {
  const res = await db
    .delete(voicePresets)
    .where(and(eq(voicePresets.id, id), eq(voicePresets.userId, actor.user.id)))
    .returning({ id: voicePresets.id });
  return res.length > 0 ? { ok: true } : refuse("not_found", { subject: "preset" as const });
}
