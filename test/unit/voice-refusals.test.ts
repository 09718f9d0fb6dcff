import { describe, expect, it } from "vitest";
import { refuse } from "~/domain/result";
import { RECORDING_TTL_DAYS, RECORDING_TTL_MS } from "~/domain/voice-recordings";
import { checkCloneSamples, MAX_CLONE_FILE_BYTES, type UploadedSample } from "~/domain/voice-input";
import { checkGenerationRequest, nextVoiceTier, tiersWith, upgradeTier, type CustomPreset } from "~/domain/voice-tiers";
import { refusalFacts, refusalHeaders, refusalMessage, refusalStatus } from "~/http/refusals";

/** A decision as the API answers it: its refusal code's status and sentence (app/http/refusals). */
const asHttp = (d: { ok: boolean; error?: string }) => (d.ok ? d : { error: d.error, status: refusalStatus(d as never), message: refusalMessage(d as never) });
const custom: CustomPreset = { id: "cp_1", name: "Mine", stability: 0.33, similarityBoost: 0.66, style: 0.25, speed: 1.1 };

describe("generation decisions in words", () => {
  it.each([
    [{ tier: "PREMIUM", settings: { speed: 9 } }, 400, "speed must be a number from 0.7 to 1.2."],
    [{ tier: "PREMIUM", customPreset: { ...custom, stability: -1 } }, 400, "stability must be a number from 0 to 1."],
    [{ tier: "FREE", preset: "nope" }, 400, 'Unknown preset "nope".'],
    [{ tier: "PREMIUM", preset: "calm", customPreset: custom }, 400, "Choose a preset or a custom preset, not both."],
    [{ tier: "PREMIUM", settings: { pitch: 2 } }, 400, 'Unknown setting "pitch".'],
    [{ tier: "PREMIUM", customPreset: { id: "cp_2", name: "Half", stability: 0.5 } }, 400, "The custom preset has no similarityBoost."],
    [{ tier: "FREE", settings: { speed: 1 } }, 403, "Voice sliders are not included in Voice Free."],
    [{ tier: "BASIC", customPreset: custom }, 403, "Custom presets are not included in Voice Basic."],
    [{ tier: "FREE", preset: "storyteller" }, 403, "The Storyteller preset is not included in Voice Free."],
  ] as [Parameters<typeof checkGenerationRequest>[0], number, string][])("%j → %i %s", (req, status, message) => {
    expect(asHttp(checkGenerationRequest(req))).toMatchObject({ status, message });
  });

  it("a refused field is shown to JSON clients; the problem's facts are not", () => {
    const r = checkGenerationRequest({ tier: "PREMIUM", settings: { speed: 9 } });
    expect(refusalFacts(r as never)).toEqual({ field: "settings.speed" });
  });
});

describe("clone sample checks in words", () => {
  const wav = (over: Partial<UploadedSample> = {}): UploadedSample => ({
    name: "a.wav",
    type: "audio/wav",
    size: 2048,
    head: new Uint8Array(
      [..."RIFF"]
        .map((c) => c.charCodeAt(0))
        .concat(
          [0, 0, 0, 0],
          [..."WAVE"].map((c) => c.charCodeAt(0)),
        ),
    ),
    ...over,
  });
  it.each([
    [[], "Add at least one audio sample."],
    [Array.from({ length: 6 }, () => wav()), "Upload at most 5 samples."],
    [[wav({ name: "big.wav", size: MAX_CLONE_FILE_BYTES + 1 })], "big.wav is larger than 10 MB."],
    [[wav({ size: 0 })], "a.wav is empty."],
    [[wav({ type: "text/plain" })], "a.wav is not an audio file we accept (MP3, WAV, OGG, FLAC, WebM or M4A)."],
  ] as [UploadedSample[], string][])("%#: %s", (files, message) => {
    expect(asHttp(checkCloneSamples(files))).toMatchObject({ status: 400, message });
  });
  it("names the file for JSON clients", () => {
    expect(refusalFacts(checkCloneSamples([wav({ size: 0 })]) as never)).toEqual({ file: "a.wav" });
  });
});

describe("voice refusals over HTTP", () => {
  it("keep their codes, statuses, sentences and headers", () => {
    const limit = refuse("LIMIT_REACHED", { planName: "Voice Free", limit: 10, resetDate: 1, upgradeUrl: "/store/aovis-voice-basic" });
    expect(asHttp(limit)).toMatchObject({ status: 403, message: "You have used all 10 generations included in Voice Free this month." });
    expect(refusalFacts(limit)).toEqual({ upgradeUrl: "/store/aovis-voice-basic", limit: 10, resetDate: 1 });
    expect(refusalHeaders(refuse("not_ready", { retryAfterSeconds: 2 }))).toEqual({ "Retry-After": "2" });
    expect(refusalHeaders(refuse("range_not_satisfiable", { size: 99 }))).toEqual({ "Accept-Ranges": "bytes", "Content-Range": "bytes */99" });
    expect(asHttp(refuse("provider_unavailable", { operation: "generation" }))).toMatchObject({
      status: 503,
      message: "The voice service is busy or unavailable. Your generation was not counted; please try again.",
    });
    expect(refusalMessage(refuse("provider_unavailable", { operation: "voice_list" }))).toBe(
      "The voice service is not answering right now. Please try again in a moment.",
    );
    expect(refusalMessage(refuse("unsupported_file_type", {}))).toBe(
      "The voice service could not read one of the samples. Please upload clear, playable audio.",
    );
    expect(refusalMessage(refuse("invalid_request", { problem: "provider_refused_text" }))).toBe(
      "The voice service refused this text. Please shorten or rephrase it.",
    );
    expect(asHttp(refuse("clone_limit_reached"))).toMatchObject({ status: 409, message: "You can keep up to 10 cloned voices." });
    expect(asHttp(refuse("preset_limit_reached"))).toMatchObject({ status: 409, message: "You can keep up to 50 custom presets." });
  });
});

describe("upgrade offers", () => {
  it("offer the lowest tier above the user's that has what was refused", () => {
    expect(upgradeTier("FREE", { feature: "preset", presetId: "podcast" }).code).toBe("BASIC");
    expect(upgradeTier("FREE", { feature: "preset", presetId: "dramatic" }).code).toBe("PREMIUM");
    expect(upgradeTier("FREE", { feature: "sliders" }).code).toBe("PREMIUM");
    expect(upgradeTier("BASIC", { feature: "custom_preset" }).code).toBe("PREMIUM");
    expect(upgradeTier("FREE", { feature: "voice_cloning" }).code).toBe("BASIC");
    expect(upgradeTier("FREE", { feature: "generations" }).code).toBe("BASIC");
    expect(upgradeTier("BASIC", { feature: "generations" }).code).toBe("PREMIUM");
    expect([nextVoiceTier("FREE")?.code, nextVoiceTier("BASIC")?.code, nextVoiceTier("PREMIUM")]).toEqual(["BASIC", "PREMIUM", null]);
    expect(tiersWith("voiceCloning").map((t) => t.name)).toEqual(["Voice Basic", "Voice Premium"]);
  });
  it("recordings are kept a week", () => {
    expect(RECORDING_TTL_MS).toBe(RECORDING_TTL_DAYS * 86400_000);
    expect(RECORDING_TTL_DAYS).toBe(7);
  });
});
