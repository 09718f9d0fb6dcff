/**
 * What each voice tier may do in the voice studio, decided without I/O: which presets and controls
 * a generation request may use, the monthly generation window (calendar month, UTC) and the
 * canonical input for request de-duplication. Tier data lives in `./plans` (VOICE_TIERS).
 */
import { VOICE_PRESETS, voiceTierByCode, type VoicePreset, type VoiceTier, type VoiceTierCode } from "./plans";

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

export type LockedFeature = "sliders" | "preset" | "custom_preset";

export type GenerationCheck =
  | { ok: true; settings: VoiceSettings; presetId: string | null; customPresetId: string | null }
  | { ok: false; error: "feature_locked"; feature: LockedFeature; message: string }
  | { ok: false; error: "invalid_request"; field: string; message: string };

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

/** Generations allowed per calendar month (UTC); null = unlimited. */
export function generationLimit(tier: VoiceTierCode): number | null {
  return tierOf(tier).monthlyGenerations;
}

export function canCloneVoice(tier: VoiceTierCode): boolean {
  return tierOf(tier).voiceCloning;
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

function rangeError(prefix: string, values: Record<string, unknown>): GenerationCheck | null {
  for (const key of SETTING_KEYS) {
    const v = values[key];
    if (v === undefined) continue;
    const { min, max } = SETTING_RANGES[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
      return { ok: false, error: "invalid_request", field: `${prefix}${key}`, message: `${key} must be a number from ${min} to ${max}.` };
    }
  }
  return null;
}

/**
 * Decides whether a tier may make this generation request and with which effective settings.
 * Free/Basic: only their tier's system presets, no sliders, no custom presets. Premium: any preset,
 * its custom presets, and slider values (partial values override the chosen preset). Nothing
 * chosen → the tier's first preset.
 */
export function checkGenerationRequest(req: {
  tier: VoiceTierCode;
  preset?: string | null;
  settings?: Partial<VoiceSettings> | null;
  customPreset?: CustomPreset | null;
}): GenerationCheck {
  const tier = tierOf(req.tier);
  const presetId = req.preset ?? null;
  const custom = req.customPreset ?? null;
  const sliders = (req.settings ?? {}) as Record<string, unknown>;
  const hasSliders = Object.values(sliders).some((v) => v !== undefined);

  if (presetId !== null && custom !== null) {
    return { ok: false, error: "invalid_request", field: "preset", message: "Choose a preset or a custom preset, not both." };
  }
  if (custom !== null && !tier.customPresets) {
    return { ok: false, error: "feature_locked", feature: "custom_preset", message: `Custom presets are not included in ${tier.name}.` };
  }
  let preset: VoicePreset | undefined;
  if (presetId !== null) {
    preset = VOICE_PRESETS.find((p) => p.id === presetId);
    if (!preset) return { ok: false, error: "invalid_request", field: "preset", message: `Unknown preset "${presetId}".` };
    if (!tier.presetIds.includes(presetId)) {
      return { ok: false, error: "feature_locked", feature: "preset", message: `The ${preset.name} preset is not included in ${tier.name}.` };
    }
  }
  if (hasSliders && !tier.slidersUnlocked) {
    return { ok: false, error: "feature_locked", feature: "sliders", message: `Voice sliders are not included in ${tier.name}.` };
  }
  const unknownKey = Object.keys(sliders).find((k) => sliders[k] !== undefined && !(SETTING_KEYS as string[]).includes(k));
  if (unknownKey) return { ok: false, error: "invalid_request", field: `settings.${unknownKey}`, message: `Unknown setting "${unknownKey}".` };
  if (custom !== null) {
    const bad = rangeError("customPreset.", custom as unknown as Record<string, unknown>);
    if (bad) return bad;
    const missing = SETTING_KEYS.find((k) => custom[k] === undefined);
    if (missing) return { ok: false, error: "invalid_request", field: `customPreset.${missing}`, message: `The custom preset has no ${missing}.` };
  }
  const bad = rangeError("settings.", sliders);
  if (bad) return bad;

  const base = custom ?? preset ?? VOICE_PRESETS.find((p) => p.id === tier.presetIds[0])!;
  const settings = settingsOf(base);
  for (const key of SETTING_KEYS) {
    const v = sliders[key];
    if (typeof v === "number") settings[key] = v;
  }
  return {
    ok: true,
    settings,
    // The system preset the result is based on: explicit, or the default when nothing was chosen.
    presetId: preset?.id ?? (custom !== null || hasSliders ? null : base.id),
    customPresetId: custom?.id ?? null,
  };
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
 * text can make two different requests collide.
 */
export function requestFingerprintInput(req: { voiceId: string; text: string; settings: VoiceSettings }): string {
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
  });
}
