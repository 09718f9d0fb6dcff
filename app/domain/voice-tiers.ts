/**
 * What each voice tier may do in the voice studio, decided without I/O: which presets and controls
 * a generation request may use, the monthly generation window (calendar month, UTC) and the
 * canonical input for request de-duplication. Tier data lives in `./plans` (VOICE_TIERS).
 */
import { VOICE_PRESETS, VOICE_TIERS, voiceTierByCode, type VoicePreset, type VoiceTier, type VoiceTierCode } from "./plans";
import { ok, refuse, type Ok, type Refusal } from "./result";

/** Custom presets a Premium user may keep. */
export const MAX_CUSTOM_PRESETS = 50;
/** Longest name of a custom preset. */
export const PRESET_NAME_MAX = 60;

/** Effective provider settings, in our camelCase (the ElevenLabs client maps them). */
export interface VoiceSettings {
  stability: number;
  similarityBoost: number;
  style: number;
  speed: number;
}

/** A Premium user's saved settings (the caller loads it and checks it belongs to the user). */
export interface CustomPreset extends VoiceSettings {
  id: string;
  name: string;
}

export type TierFeatures = Pick<VoiceTier, "monthlyGenerations" | "presetIds" | "slidersUnlocked" | "advancedControls" | "customPresets" | "voiceCloning">;

export type LockedFeature = "sliders" | "preset" | "custom_preset" | "speaker_boost";

/** What is wrong with a generation request, as data (app/http/refusals words it). */
export type GenerationProblem =
  | { problem: "preset_and_custom_preset" }
  | { problem: "unknown_preset"; presetId: string }
  | { problem: "unknown_setting"; setting: string }
  | { problem: "setting_out_of_range"; setting: keyof VoiceSettings; min: number; max: number }
  | { problem: "custom_preset_incomplete"; setting: keyof VoiceSettings };

export type FeatureLocked = Refusal<"feature_locked", { feature: LockedFeature; planName: string; presetName?: string }>;
export type InvalidGeneration = Refusal<"invalid_request", { field: string } & GenerationProblem>;

export type GenerationCheck =
  Ok<{ settings: VoiceSettings; speakerBoost?: boolean; presetId: string | null; customPresetId: string | null }> | FeatureLocked | InvalidGeneration;

/** Inclusive ranges the provider accepts (API-SHAPES.md §4 voice_settings). */
export const SETTING_RANGES: Readonly<Record<keyof VoiceSettings, { min: number; max: number }>> = {
  stability: { min: 0, max: 1 },
  similarityBoost: { min: 0, max: 1 },
  style: { min: 0, max: 1 },
  speed: { min: 0.7, max: 1.2 },
};

const SETTING_KEYS = Object.keys(SETTING_RANGES) as (keyof VoiceSettings)[];

function tierOf(code: VoiceTierCode): VoiceTier {
  const tier = voiceTierByCode(code);
  if (!tier) throw new Error(`Unknown voice tier: ${String(code)}`);
  return tier;
}

export function tierFeatures(code: VoiceTierCode): TierFeatures {
  const t = tierOf(code);
  return {
    monthlyGenerations: t.monthlyGenerations,
    presetIds: t.presetIds,
    slidersUnlocked: t.slidersUnlocked,
    advancedControls: t.advancedControls,
    customPresets: t.customPresets,
    voiceCloning: t.voiceCloning,
  };
}

/** A tier's features as the documented JSON clients read them (GET /api/user/profile, docs/api.md). */
export interface ClientTierFeatures {
  /** -1 = unlimited. */
  maxRecordingsPerMonth: number;
  /** The stability, similarity, style and speed sliders. */
  allowAdvancedAudioControls: boolean;
  allowCustomPresets: boolean;
  /** System preset ids the tier may use. */
  availablePresets: readonly string[];
}

export const UNLIMITED_FOR_CLIENTS = -1;

export function clientTierFeatures(code: VoiceTierCode): ClientTierFeatures {
  const t = tierOf(code);
  return {
    maxRecordingsPerMonth: t.monthlyGenerations ?? UNLIMITED_FOR_CLIENTS,
    allowAdvancedAudioControls: t.slidersUnlocked,
    allowCustomPresets: t.customPresets,
    availablePresets: t.presetIds,
  };
}

/** Generations allowed per calendar month (UTC); null = unlimited. */
export function generationLimit(tier: VoiceTierCode): number | null {
  return tierOf(tier).monthlyGenerations;
}

export function canCloneVoice(tier: VoiceTierCode): boolean {
  return tierOf(tier).voiceCloning;
}

/** From this share of the month's allowance used, the studio offers the next tier (before the limit stops generating). */
export const UPGRADE_PROMPT_SHARE = 0.8;

/** Used at least UPGRADE_PROMPT_SHARE of a limited allowance but not all of it. */
export function nearGenerationLimit(tier: VoiceTierCode, used: number): boolean {
  const limit = generationLimit(tier);
  return limit !== null && used < limit && used >= Math.ceil(limit * UPGRADE_PROMPT_SHARE);
}

/** Generations left this month given how many were used; null = unlimited. Never negative. */
export function remainingGenerations(tier: VoiceTierCode, used: number): number | null {
  const limit = generationLimit(tier);
  return limit === null ? null : Math.max(0, limit - used);
}

const settingsOf = (p: VoiceSettings): VoiceSettings => ({
  stability: p.stability,
  similarityBoost: p.similarityBoost,
  style: p.style,
  speed: p.speed,
});

const invalid = (field: string, problem: GenerationProblem): InvalidGeneration => refuse("invalid_request", { field, ...problem });
const locked = (feature: LockedFeature, tier: VoiceTier, presetName?: string): FeatureLocked =>
  refuse("feature_locked", { feature, planName: tier.name, ...(presetName === undefined ? {} : { presetName }) });

function rangeError(prefix: string, values: Record<string, unknown>): InvalidGeneration | null {
  for (const key of SETTING_KEYS) {
    const v = values[key];
    if (v === undefined) continue;
    const { min, max } = SETTING_RANGES[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
      return invalid(`${prefix}${key}`, { problem: "setting_out_of_range", setting: key, min, max });
    }
  }
  return null;
}

/**
 * Decides whether a tier may make this generation request and with which effective settings.
 * Free/Basic: only their tier's system presets, no sliders, no custom presets. Premium: any preset,
 * its custom presets, and slider values (partial values override the chosen preset). Nothing
 * chosen → the tier's first preset. Speaker boost (the provider's `use_speaker_boost`, on or off)
 * is the advanced control: only tiers with `advancedControls` may choose it; null = the provider's
 * default for the voice.
 */
export function checkGenerationRequest(req: {
  tier: VoiceTierCode;
  preset?: string | null;
  settings?: Partial<VoiceSettings> | null;
  customPreset?: CustomPreset | null;
  speakerBoost?: boolean | null;
}): GenerationCheck {
  const tier = tierOf(req.tier);
  const presetId = req.preset ?? null;
  const custom = req.customPreset ?? null;
  const sliders = (req.settings ?? {}) as Record<string, unknown>;
  const hasSliders = Object.values(sliders).some((v) => v !== undefined);

  if (presetId !== null && custom !== null) return invalid("preset", { problem: "preset_and_custom_preset" });
  if (custom !== null && !tier.customPresets) return locked("custom_preset", tier);
  let preset: VoicePreset | undefined;
  if (presetId !== null) {
    preset = VOICE_PRESETS.find((p) => p.id === presetId);
    if (!preset) return invalid("preset", { problem: "unknown_preset", presetId });
    if (!tier.presetIds.includes(presetId)) return locked("preset", tier, preset.name);
  }
  if (hasSliders && !tier.slidersUnlocked) return locked("sliders", tier);
  const speakerBoost = req.speakerBoost ?? null;
  if (speakerBoost !== null && !tier.advancedControls) return locked("speaker_boost", tier);
  const unknownKey = Object.keys(sliders).find((k) => sliders[k] !== undefined && !(SETTING_KEYS as string[]).includes(k));
  if (unknownKey) return invalid(`settings.${unknownKey}`, { problem: "unknown_setting", setting: unknownKey });
  if (custom !== null) {
    const bad = rangeError("customPreset.", custom as unknown as Record<string, unknown>);
    if (bad) return bad;
    const missing = SETTING_KEYS.find((k) => custom[k] === undefined);
    if (missing) return invalid(`customPreset.${missing}`, { problem: "custom_preset_incomplete", setting: missing });
  }
  const bad = rangeError("settings.", sliders);
  if (bad) return bad;

  const base = custom ?? preset ?? VOICE_PRESETS.find((p) => p.id === tier.presetIds[0])!;
  const settings = settingsOf(base);
  for (const key of SETTING_KEYS) {
    const v = sliders[key];
    if (typeof v === "number") settings[key] = v;
  }
  return ok({
    settings,
    // Only when chosen (absent = the provider's default for the voice).
    ...(speakerBoost === null ? {} : { speakerBoost }),
    // The system preset the result is based on: explicit, or the default when nothing was chosen.
    presetId: preset?.id ?? (custom !== null || hasSliders ? null : base.id),
    customPresetId: custom?.id ?? null,
  });
}

/** What a refused user lacks: a feature, a system preset, or more generations a month. */
export type UpgradeNeed =
  { feature: "sliders" | "custom_preset" | "voice_cloning" | "speaker_boost" } | { feature: "preset"; presetId: string } | { feature: "generations" };

/**
 * The tier to offer someone on `from` who lacks `need`: the lowest tier above theirs that has it
 * (the catalogue lists tiers from lowest to highest), else the highest tier.
 */
export function upgradeTier(from: VoiceTierCode, need: UpgradeNeed): VoiceTier {
  const current = tierOf(from);
  const above = VOICE_TIERS.slice(VOICE_TIERS.indexOf(current) + 1);
  const has = (t: VoiceTier): boolean => {
    switch (need.feature) {
      case "sliders":
        return t.slidersUnlocked;
      case "custom_preset":
        return t.customPresets;
      case "voice_cloning":
        return t.voiceCloning;
      case "speaker_boost":
        return t.advancedControls;
      case "preset":
        return t.presetIds.includes(need.presetId);
      case "generations":
        return t.monthlyGenerations === null || (current.monthlyGenerations !== null && t.monthlyGenerations > current.monthlyGenerations);
    }
  };
  return above.find(has) ?? VOICE_TIERS[VOICE_TIERS.length - 1];
}

/** The next tier up (what "upgrade" offers in general); null at the top. */
export function nextVoiceTier(code: VoiceTierCode): VoiceTier | null {
  return VOICE_TIERS[VOICE_TIERS.indexOf(tierOf(code)) + 1] ?? null;
}

/** The tiers that include `feature`, lowest first (for copy such as "comes with Voice Basic and Voice Premium"). */
export function tiersWith(feature: "voiceCloning" | "slidersUnlocked" | "customPresets"): readonly VoiceTier[] {
  return VOICE_TIERS.filter((t) => t[feature]);
}

const toDate = (now: number | Date) => (now instanceof Date ? now : new Date(now));

/** The usage month of an instant, "YYYY-MM" in UTC. */
export function monthKey(now: number | Date): string {
  const d = toDate(now);
  return `${String(d.getUTCFullYear()).padStart(4, "0")}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** When the monthly allowance resets: the first instant of the next UTC month, in ms. */
export function resetDate(now: number | Date): number {
  const d = toDate(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Two decimals as text, so 0.5, 0.50 and 0.5000001 hash alike (the epsilon keeps 0.755 → 0.76). */
function round2(x: number): string {
  return (Math.round(x * 100 + 1e-9) / 100).toFixed(2);
}

/**
 * Canonical text for the dedupe hash of a generation: same voice, same text (verbatim) and the same
 * settings at two decimals give the same string. JSON with a fixed key order, so no separator in the
 * text can make two different requests collide. Speaker boost only appears when chosen, so
 * requests without it hash as they always have.
 */
export function requestFingerprintInput(req: { voiceId: string; text: string; settings: VoiceSettings; speakerBoost?: boolean | null }): string {
  const s = req.settings;
  return JSON.stringify({
    v: 1,
    voiceId: req.voiceId,
    text: req.text,
    settings: {
      similarityBoost: round2(s.similarityBoost),
      speed: round2(s.speed),
      stability: round2(s.stability),
      style: round2(s.style),
    },
    ...(typeof req.speakerBoost === "boolean" ? { speakerBoost: req.speakerBoost } : {}),
  });
}
