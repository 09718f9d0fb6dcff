import { describe, expect, it } from "vitest";
import { VOICE_PRESETS, type VoiceTierCode } from "~/domain/plans";
import {
  canCloneVoice,
  checkGenerationRequest,
  generationLimit,
  monthKey,
  remainingGenerations,
  requestFingerprintInput,
  resetDate,
  SETTING_RANGES,
  tierFeatures,
  type CustomPreset,
} from "~/domain/voice-tiers";
import { refusalMessage } from "~/http/refusals";

const TIERS: VoiceTierCode[] = ["FREE", "BASIC", "PREMIUM"];
const preset = (id: string) => VOICE_PRESETS.find((p) => p.id === id)!;
const settingsOf = (id: string) => {
  const p = preset(id);
  return { stability: p.stability, similarityBoost: p.similarityBoost, style: p.style, speed: p.speed };
};
const custom: CustomPreset = { id: "cp_1", name: "Mine", stability: 0.33, similarityBoost: 0.66, style: 0.25, speed: 1.1 };

describe("tierFeatures and limits", () => {
  it("reports each tier's allowances", () => {
    expect(tierFeatures("FREE")).toEqual({
      monthlyGenerations: 10,
      presetIds: ["natural", "calm", "bright", "announcer"],
      slidersUnlocked: false,
      advancedControls: false,
      customPresets: false,
      voiceCloning: false,
    });
    expect(tierFeatures("BASIC")).toMatchObject({ monthlyGenerations: 100, slidersUnlocked: false, customPresets: false, voiceCloning: true });
    expect(tierFeatures("BASIC").presetIds).toHaveLength(10);
    expect(tierFeatures("PREMIUM")).toEqual({
      monthlyGenerations: null,
      presetIds: VOICE_PRESETS.map((p) => p.id),
      slidersUnlocked: true,
      advancedControls: true,
      customPresets: true,
      voiceCloning: true,
    });
  });

  it("generation limits, remaining allowance and cloning rights", () => {
    expect(TIERS.map(generationLimit)).toEqual([10, 100, null]);
    expect(TIERS.map(canCloneVoice)).toEqual([false, true, true]);
    expect(remainingGenerations("FREE", 3)).toBe(7);
    expect(remainingGenerations("FREE", 10)).toBe(0);
    expect(remainingGenerations("FREE", 12)).toBe(0);
    expect(remainingGenerations("BASIC", 0)).toBe(100);
    expect(remainingGenerations("PREMIUM", 5000)).toBeNull();
  });

  it("rejects an unknown tier code instead of guessing", () => {
    expect(() => tierFeatures("GOLD" as VoiceTierCode)).toThrow(/Unknown voice tier/);
    expect(() => checkGenerationRequest({ tier: "gold" as VoiceTierCode })).toThrow();
  });
});

describe("checkGenerationRequest", () => {
  it("with nothing chosen uses the tier's first preset", () => {
    for (const tier of TIERS) {
      expect(checkGenerationRequest({ tier })).toEqual({ ok: true, settings: settingsOf("natural"), presetId: "natural", customPresetId: null });
    }
    // Empty or all-undefined settings count as "no sliders", even on Free.
    expect(checkGenerationRequest({ tier: "FREE", settings: {} })).toMatchObject({ ok: true, presetId: "natural" });
    expect(checkGenerationRequest({ tier: "FREE", settings: { speed: undefined }, preset: null, customPreset: null })).toMatchObject({ ok: true });
  });

  it("every tier may use exactly its own presets", () => {
    for (const tier of TIERS) {
      const allowed = tierFeatures(tier).presetIds;
      for (const p of VOICE_PRESETS) {
        const r = checkGenerationRequest({ tier, preset: p.id });
        if (allowed.includes(p.id)) {
          expect(r).toEqual({ ok: true, settings: settingsOf(p.id), presetId: p.id, customPresetId: null });
        } else {
          expect(r).toMatchObject({ ok: false, error: "feature_locked", feature: "preset" });
        }
      }
    }
    const locked = checkGenerationRequest({ tier: "FREE", preset: "storyteller" });
    expect(locked.ok === false && refusalMessage(locked)).toMatch(/Storyteller.*Voice Free/);
  });

  it("an unknown preset is an invalid request on every tier", () => {
    for (const tier of TIERS) {
      expect(checkGenerationRequest({ tier, preset: "nope" })).toMatchObject({ ok: false, error: "invalid_request", field: "preset" });
      expect(checkGenerationRequest({ tier, preset: "" })).toMatchObject({ ok: false, error: "invalid_request", field: "preset" });
    }
  });

  it("Free and Basic may not send slider values, not even alongside an allowed preset", () => {
    for (const tier of ["FREE", "BASIC"] as const) {
      for (const settings of [{ stability: 0.5 }, { similarityBoost: 0.75 }, { style: 0 }, { speed: 1 }, settingsOf("natural")]) {
        expect(checkGenerationRequest({ tier, settings })).toMatchObject({ ok: false, error: "feature_locked", feature: "sliders" });
        expect(checkGenerationRequest({ tier, preset: "natural", settings })).toMatchObject({ ok: false, error: "feature_locked", feature: "sliders" });
      }
      // Locked wins over out-of-range: the user is told what to upgrade, not how to tweak.
      expect(checkGenerationRequest({ tier, settings: { speed: 9 } })).toMatchObject({ feature: "sliders" });
    }
  });

  it("Free and Basic may not use custom presets", () => {
    for (const tier of ["FREE", "BASIC"] as const) {
      expect(checkGenerationRequest({ tier, customPreset: custom })).toMatchObject({ ok: false, error: "feature_locked", feature: "custom_preset" });
    }
  });

  it("Premium sliders override the chosen preset, or the default one", () => {
    expect(checkGenerationRequest({ tier: "PREMIUM", preset: "dramatic", settings: { speed: 0.7, stability: 1 } })).toEqual({
      ok: true,
      settings: { ...settingsOf("dramatic"), speed: 0.7, stability: 1 },
      presetId: "dramatic",
      customPresetId: null,
    });
    expect(checkGenerationRequest({ tier: "PREMIUM", settings: { style: 0.9 } })).toEqual({
      ok: true,
      settings: { ...settingsOf("natural"), style: 0.9 },
      presetId: null,
      customPresetId: null,
    });
    const full = { stability: 0, similarityBoost: 1, style: 1, speed: 1.2 };
    expect(checkGenerationRequest({ tier: "PREMIUM", settings: full })).toMatchObject({ ok: true, settings: full });
  });

  it("Premium slider values are range-checked at both ends", () => {
    for (const [key, { min, max }] of Object.entries(SETTING_RANGES)) {
      expect(checkGenerationRequest({ tier: "PREMIUM", settings: { [key]: min } })).toMatchObject({ ok: true });
      expect(checkGenerationRequest({ tier: "PREMIUM", settings: { [key]: max } })).toMatchObject({ ok: true });
      for (const bad of [min - 0.01, max + 0.01, Number.NaN, Number.POSITIVE_INFINITY, "0.5" as unknown as number, null as unknown as number]) {
        expect(checkGenerationRequest({ tier: "PREMIUM", settings: { [key]: bad } })).toMatchObject({
          ok: false,
          error: "invalid_request",
          field: `settings.${key}`,
        });
      }
    }
    expect(SETTING_RANGES.speed).toEqual({ min: 0.7, max: 1.2 });
    expect(checkGenerationRequest({ tier: "PREMIUM", settings: { pitch: 2 } as never })).toMatchObject({
      ok: false,
      error: "invalid_request",
      field: "settings.pitch",
    });
  });

  it("Premium custom presets are used as the base, validated, and exclusive with a system preset", () => {
    expect(checkGenerationRequest({ tier: "PREMIUM", customPreset: custom })).toEqual({
      ok: true,
      settings: { stability: 0.33, similarityBoost: 0.66, style: 0.25, speed: 1.1 },
      presetId: null,
      customPresetId: "cp_1",
    });
    expect(checkGenerationRequest({ tier: "PREMIUM", customPreset: custom, settings: { speed: 0.8 } })).toMatchObject({
      ok: true,
      settings: { stability: 0.33, speed: 0.8 },
      customPresetId: "cp_1",
    });
    expect(checkGenerationRequest({ tier: "PREMIUM", customPreset: { ...custom, speed: 1.5 } })).toMatchObject({
      ok: false,
      error: "invalid_request",
      field: "customPreset.speed",
    });
    const incomplete = { id: "cp_2", name: "Half", stability: 0.5 } as unknown as CustomPreset;
    expect(checkGenerationRequest({ tier: "PREMIUM", customPreset: incomplete })).toMatchObject({ ok: false, field: "customPreset.similarityBoost" });
    expect(checkGenerationRequest({ tier: "PREMIUM", customPreset: custom, preset: "calm" })).toMatchObject({
      ok: false,
      error: "invalid_request",
      field: "preset",
    });
  });

  it("never hands back the preset objects themselves (callers may mutate the result)", () => {
    const r = checkGenerationRequest({ tier: "PREMIUM", preset: "calm" });
    if (!r.ok) throw new Error("expected ok");
    r.settings.speed = 1.2;
    expect(preset("calm").speed).toBe(0.9);
    expect(Object.keys(r.settings).sort()).toEqual(["similarityBoost", "speed", "stability", "style"]);
  });
});

describe("monthly window (UTC)", () => {
  it("monthKey is the UTC calendar month", () => {
    expect(monthKey(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe("2026-01");
    expect(monthKey(Date.UTC(2026, 0, 31, 23, 59, 59, 999))).toBe("2026-01");
    expect(monthKey(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe("2026-12");
    expect(monthKey(new Date("2026-03-01T00:30:00+02:00"))).toBe("2026-02"); // still February in UTC
    expect(monthKey(new Date("2028-02-29T12:00:00Z"))).toBe("2028-02");
  });

  it("resetDate is the first instant of the next UTC month, including across a year end", () => {
    expect(resetDate(Date.UTC(2026, 0, 15, 10))).toBe(Date.UTC(2026, 1, 1));
    expect(resetDate(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe(Date.UTC(2027, 0, 1));
    expect(resetDate(Date.UTC(2026, 1, 1, 0, 0, 0, 0))).toBe(Date.UTC(2026, 2, 1));
    expect(resetDate(new Date("2028-02-29T12:00:00Z"))).toBe(Date.UTC(2028, 2, 1));
    const now = Date.UTC(2026, 4, 20);
    expect(monthKey(resetDate(now))).toBe("2026-06");
    expect(monthKey(resetDate(now) - 1)).toBe(monthKey(now));
  });
});

describe("requestFingerprintInput", () => {
  const base = { voiceId: "21m00Tcm4TlvDq8ikWAM", text: "Hello there", settings: settingsOf("natural") };

  it("is the same for the same request, whatever the key order or tiny float noise", () => {
    const a = requestFingerprintInput(base);
    const reordered = { settings: { speed: 1, style: 0, similarityBoost: 0.75, stability: 0.5 }, text: "Hello there", voiceId: base.voiceId };
    expect(requestFingerprintInput(reordered)).toBe(a);
    expect(requestFingerprintInput({ ...base, settings: { ...base.settings, stability: 0.5000001, speed: 0.999999 } })).toBe(a);
    expect(JSON.parse(a)).toEqual({
      v: 1,
      voiceId: base.voiceId,
      text: "Hello there",
      settings: { similarityBoost: "0.75", speed: "1.00", stability: "0.50", style: "0.00" },
    });
  });

  it("rounds to two decimals, half up, despite binary floats", () => {
    const f = (stability: number) => JSON.parse(requestFingerprintInput({ ...base, settings: { ...base.settings, stability } })).settings.stability;
    expect(f(0.755)).toBe("0.76");
    expect(f(0.754)).toBe("0.75");
    expect(f(0.005)).toBe("0.01");
    expect(f(0)).toBe("0.00");
    expect(f(1)).toBe("1.00");
  });

  it("differs when the voice, the text (verbatim) or a setting beyond rounding differs", () => {
    const a = requestFingerprintInput(base);
    expect(requestFingerprintInput({ ...base, voiceId: "EXAVITQu4vr4xnSDxMaL" })).not.toBe(a);
    expect(requestFingerprintInput({ ...base, text: "Hello there " })).not.toBe(a);
    expect(requestFingerprintInput({ ...base, text: "hello there" })).not.toBe(a);
    for (const key of ["stability", "similarityBoost", "style", "speed"] as const) {
      expect(requestFingerprintInput({ ...base, settings: { ...base.settings, [key]: base.settings[key] + 0.01 } })).not.toBe(a);
    }
  });

  it("cannot be made to collide by moving separators between fields", () => {
    const x = requestFingerprintInput({ ...base, voiceId: "a", text: '","text":"b' });
    const y = requestFingerprintInput({ ...base, voiceId: 'a","text":"', text: "b" });
    expect(x).not.toBe(y);
  });
});
