/**
 * Every line a voice tier shows (store, services page, studio teaser) is a rule the studio enforces.
 * Each line here is matched to its rule; a line nobody matched fails the test, so a new promise
 * needs a rule and a test before it can be shown.
 */
import { describe, expect, it } from "vitest";
import { VOICE_PRESETS, VOICE_TIERS, type VoiceTier } from "~/domain/plans";
import {
  canCloneVoice,
  checkGenerationRequest,
  generationLimit,
  nearGenerationLimit,
  requestFingerprintInput,
  upgradeTier,
  type CustomPreset,
} from "~/domain/voice-tiers";
import { refusalMessage } from "~/http/refusals";

const custom: CustomPreset = { id: "cp_1", name: "Mine", stability: 0.33, similarityBoost: 0.66, style: 0.25, speed: 1.1 };

/** The rule behind each kind of line, checked for the tier that shows it (and its absence for the others). */
const RULES: { line: RegExp; holds: (t: VoiceTier, m: RegExpMatchArray) => void; absent: (t: VoiceTier) => void }[] = [
  {
    line: /^(\d+) generations a month$/,
    holds: (t, m) => expect(generationLimit(t.code)).toBe(Number(m[1])),
    absent: () => {},
  },
  {
    line: /^Unlimited generations$/,
    holds: (t) => expect(generationLimit(t.code)).toBeNull(),
    absent: (t) => expect(generationLimit(t.code)).not.toBeNull(),
  },
  {
    line: /^(?:All )?(\d+) voice presets$/,
    holds: (t, m) => {
      expect(t.presetIds).toHaveLength(Number(m[1]));
      for (const id of t.presetIds) expect(checkGenerationRequest({ tier: t.code, preset: id }).ok).toBe(true);
      for (const p of VOICE_PRESETS.filter((p) => !t.presetIds.includes(p.id))) {
        expect(checkGenerationRequest({ tier: t.code, preset: p.id })).toMatchObject({ ok: false, error: "feature_locked", feature: "preset" });
      }
    },
    absent: () => {},
  },
  {
    line: /^Stability, similarity, style and speed sliders$/,
    holds: (t) => expect(checkGenerationRequest({ tier: t.code, settings: { stability: 0.1, similarityBoost: 0.2, style: 0.3, speed: 0.8 } }).ok).toBe(true),
    absent: (t) => expect(checkGenerationRequest({ tier: t.code, settings: { speed: 0.8 } })).toMatchObject({ ok: false, feature: "sliders" }),
  },
  {
    line: /^Speaker boost on or off$/,
    holds: (t) => {
      for (const speakerBoost of [true, false]) expect(checkGenerationRequest({ tier: t.code, speakerBoost })).toMatchObject({ ok: true, speakerBoost });
    },
    absent: (t) => {
      for (const speakerBoost of [true, false]) {
        const r = checkGenerationRequest({ tier: t.code, speakerBoost });
        expect(r).toMatchObject({ ok: false, error: "feature_locked", feature: "speaker_boost" });
        expect(refusalMessage(r as never)).toBe(`Speaker boost is not included in ${t.name}.`);
      }
      expect(upgradeTier(t.code, { feature: "speaker_boost" }).advancedControls).toBe(true);
    },
  },
  {
    line: /^Custom presets$/,
    holds: (t) => expect(checkGenerationRequest({ tier: t.code, customPreset: custom }).ok).toBe(true),
    absent: (t) => expect(checkGenerationRequest({ tier: t.code, customPreset: custom })).toMatchObject({ ok: false, feature: "custom_preset" }),
  },
  {
    line: /^Instant voice cloning$/,
    holds: (t) => expect(canCloneVoice(t.code)).toBe(true),
    absent: (t) => expect(canCloneVoice(t.code)).toBe(false),
  },
];

describe("voice tier promises", () => {
  for (const tier of VOICE_TIERS) {
    it(`every line ${tier.name} shows is a rule the studio enforces, and what it does not show it does not get`, () => {
      for (const line of tier.features) {
        const rule = RULES.find((r) => r.line.test(line));
        expect(rule, `no rule backs "${line}" (${tier.name})`).toBeDefined();
        rule!.holds(tier, line.match(rule!.line)!);
      }
      for (const rule of RULES) if (!tier.features.some((l) => rule.line.test(l))) rule.absent(tier);
    });
  }

  it("the advanced controls flag is exactly the tiers that may choose speaker boost", () => {
    for (const t of VOICE_TIERS) expect(checkGenerationRequest({ tier: t.code, speakerBoost: true }).ok).toBe(t.advancedControls);
  });

  it("no tier promises faster or priority generation, or audio effects: generation is the same for every tier", () => {
    for (const t of VOICE_TIERS) {
      for (const text of [t.name, t.description, ...t.features]) expect(text).not.toMatch(/priority|fast|quick|speedy|effects?\b|turbo/i);
    }
  });

  it("a speaker boost choice is part of the dedupe fingerprint; no choice hashes as before", () => {
    const settings = { stability: 0.5, similarityBoost: 0.75, style: 0, speed: 1 };
    const base = requestFingerprintInput({ voiceId: "v", text: "t", settings });
    expect(base).toBe('{"v":1,"voiceId":"v","text":"t","settings":{"similarityBoost":"0.75","speed":"1.00","stability":"0.50","style":"0.00"}}');
    expect(requestFingerprintInput({ voiceId: "v", text: "t", settings, speakerBoost: null })).toBe(base);
    const on = requestFingerprintInput({ voiceId: "v", text: "t", settings, speakerBoost: true });
    const off = requestFingerprintInput({ voiceId: "v", text: "t", settings, speakerBoost: false });
    expect(new Set([base, on, off]).size).toBe(3);
  });

  it("the upgrade offer starts at 80 % of a limited allowance and ends at the limit (the limit's own prompt takes over)", () => {
    expect([7, 8, 9, 10].map((u) => nearGenerationLimit("FREE", u))).toEqual([false, true, true, false]);
    expect([79, 80, 99, 100].map((u) => nearGenerationLimit("BASIC", u))).toEqual([false, true, true, false]);
    expect(nearGenerationLimit("PREMIUM", 1_000_000)).toBe(false);
  });
});
