import { ACCEPTED_AUDIO_NAMES, MAX_CLONE_FILE_BYTES, MAX_CLONE_FILES, MAX_CLONES_PER_USER } from "~/domain/voice-input";
import { MAX_CUSTOM_PRESETS, type GenerationProblem } from "~/domain/voice-tiers";
import { defineRefusals } from "./spec";

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
const acceptedAudio = `${ACCEPTED_AUDIO_NAMES.slice(0, -1).join(", ")} or ${ACCEPTED_AUDIO_NAMES[ACCEPTED_AUDIO_NAMES.length - 1]}`;

/** Which call to the voice provider failed: a generation is refunded, so its sentence says so. */
export type ProviderOperation = "generation" | "voice_list" | "cloning";

/** Refusal codes of the voice studio (see ../refusals.ts). */
export const VOICE_REFUSALS = defineRefusals({
  // Upper case for historical reasons: clients match this exact code.
  LIMIT_REACHED: {
    status: 403,
    message: (r: { limit: number; planName: string }) => `You have used all ${r.limit} generations included in ${r.planName} this month.`,
    expose: ["upgradeUrl", "limit", "resetDate"],
  },
  clone_limit_reached: { status: 409, message: `You can keep up to ${MAX_CLONES_PER_USER} cloned voices.` },
  preset_limit_reached: { status: 409, message: `You can keep up to ${MAX_CUSTOM_PRESETS} custom presets.` },
  generation_in_progress: { status: 409, message: "The same text is being generated already. Please try again in a moment." },
  not_ready: {
    status: 409,
    message: "This recording is still being saved. Try again in a moment.",
    headers: (r: { retryAfterSeconds: number }) => ({ "Retry-After": String(r.retryAfterSeconds) }),
  },
  unknown_voice: { status: 400, message: "That voice is not available. Pick one from the list." },
  provider_unavailable: {
    status: 503,
    message: (r: { operation: ProviderOperation }) =>
      r.operation === "generation"
        ? "The voice service is busy or unavailable. Your generation was not counted; please try again."
        : "The voice service is not answering right now. Please try again in a moment.",
  },
  provider_error: { status: 502, message: "The voice service failed. Your generation was not counted; please try again." },
  // The provider broke off after its first bytes (the stream API's response is reset for the same reason).
  provider_cut_off: { status: 502, message: "The generation was cut off by the voice service. It was not counted; please try again." },
  provider_no_audio: { status: 502, message: "The voice service returned no audio. Your generation was not counted; please try again." },
  storage_failed: {
    status: 503,
    message: (r: { what: "clone" | "recording" | "upload" }) =>
      r.what === "clone"
        ? "Your voice was made but could not be saved. Please try again in a moment."
        : r.what === "upload"
          ? "The recording could not be saved. Please try again in a moment."
          : "The audio could not be saved. Your generation was not counted; please try again.",
  },
  storage_unavailable: { status: 503, message: "Your generation could not be started. It was not counted; please try again in a moment." },
  duplicate_files: { status: 400, message: "Each sample must be a different recording." },
  unsupported_file_type: {
    status: 400,
    // Without a file name it is the provider that could not read a sample our checks accepted.
    message: (r: { file?: string }) =>
      r.file
        ? `${r.file} is not an audio file we accept (${acceptedAudio}).`
        : "The voice service could not read one of the samples. Please upload clear, playable audio.",
    expose: ["file"],
  },
  no_files: { status: 400, message: "Add at least one audio sample." },
  too_many_files: { status: 400, message: (r: { max: number }) => `Upload at most ${r.max} samples.` },
  file_too_large: { status: 400, message: (r: { file: string; maxBytes: number }) => `${r.file} is larger than ${mb(r.maxBytes)}.`, expose: ["file"] },
  empty_file: { status: 400, message: (r: { file: string }) => `${r.file} is empty.`, expose: ["file"] },
  range_not_satisfiable: {
    status: 416,
    message: "The requested byte range is outside the recording.",
    expose: ["size"],
    headers: (r: { size: number }) => ({ "Accept-Ranges": "bytes", "Content-Range": `bytes */${r.size}` }),
  },
  // Restoring a deleted recording whose request was generated again meanwhile: the new one stays.
  duplicate_recording: {
    status: 409,
    message: "You made the same recording again after deleting this one; the new one is in your list.",
    expose: ["recordingId"],
  },
  /** The studio page: a recording or preset that was listed a moment ago is no longer there. */
  gone: { status: 404, message: (r: { subject: "recording" | "preset" }) => `That ${r.subject} no longer exists.` },
});

/** What a generation request got wrong (invalid_request's `problem` fact), in words. */
export type VoiceRequestProblem = GenerationProblem | { problem: "unknown_custom_preset" } | { problem: "provider_refused_text" };

export const VOICE_REQUEST_PROBLEMS: { [P in VoiceRequestProblem["problem"]]: (r: Extract<VoiceRequestProblem, { problem: P }>) => string } = {
  preset_and_custom_preset: () => "Choose a preset or a custom preset, not both.",
  unknown_preset: (r) => `Unknown preset "${r.presetId}".`,
  unknown_setting: (r) => `Unknown setting "${r.setting}".`,
  setting_out_of_range: (r) => `${r.setting} must be a number from ${r.min} to ${r.max}.`,
  custom_preset_incomplete: (r) => `The custom preset has no ${r.setting}.`,
  unknown_custom_preset: () => "That custom preset does not exist.",
  provider_refused_text: () => "The voice service refused this text. Please shorten or rephrase it.",
};

/** Sentences of the clone upload reader (app/http/voice-upload.server.ts) for invalid_body / payload_too_large. */
export const CLONE_UPLOAD_SENTENCES = {
  tooLarge: `Upload at most ${MAX_CLONE_FILES} samples of ${mb(MAX_CLONE_FILE_BYTES)} each.`,
  notMultipart: "Send the samples as multipart/form-data.",
  unreadable: "The upload could not be read as multipart/form-data.",
} as const;

/** Sentences of the favourite upload reader (POST /api/recordings). */
export const FAVORITE_UPLOAD_SENTENCES = {
  tooLarge: `Upload one recording of at most ${mb(MAX_CLONE_FILE_BYTES)}.`,
  notMultipart: "Send the recording as multipart/form-data with an audioBlob file.",
} as const;
