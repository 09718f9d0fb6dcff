import { ACTIVATION_ACCOUNT_WINDOW_MS, ACTIVATION_CLIENT_WINDOW_MS, ACTIVATION_FAILURE_WINDOW_MS } from "~/domain/device-ownership";
import { problemSentence } from "./problems";
import { defineRefusals } from "./spec";

/** What `not_found` refusals name: "No such device." */
export type NotFoundSubject = "device" | "recording" | "preset" | "voice" | "subscription" | "product" | "checkout" | "transfer offer" | "page" | "event";

/** `activation` is per serial and account; `activation_account` and `activation_network` are ADR 013's. */
export type RateLimitSubject = "sign_in" | "activation" | "activation_account" | "activation_network" | "video";

const RATE_LIMIT_MESSAGES: Record<RateLimitSubject, string> = {
  sign_in: "Too many sign-in attempts. Please wait a minute and try again.",
  activation: `Too many wrong activation codes for this serial. Please wait ${ACTIVATION_FAILURE_WINDOW_MS / 60_000} minutes and try again.`,
  activation_account: `Too many wrong activation codes from your account. Please wait up to ${ACTIVATION_ACCOUNT_WINDOW_MS / 60_000} minutes and try again.`,
  activation_network: `Too many wrong activation codes from your network. Please wait up to ${ACTIVATION_CLIENT_WINDOW_MS / 60_000} minutes and try again.`,
  video: "Too many video requests for this camera right now. Please try again in a moment.",
};

export type LockedFeatureName = "sliders" | "preset" | "custom_preset" | "voice_cloning" | "speaker_boost";

function lockedSentence(r: { feature: LockedFeatureName; planName: string; presetName?: string }): string {
  switch (r.feature) {
    case "sliders":
      return `Voice sliders are not included in ${r.planName}.`;
    case "preset":
      return `The ${r.presetName ?? "chosen"} preset is not included in ${r.planName}.`;
    case "custom_preset":
      return `Custom presets are not included in ${r.planName}.`;
    case "voice_cloning":
      return `Voice cloning is not included in ${r.planName}.`;
    case "speaker_boost":
      return `Speaker boost is not included in ${r.planName}.`;
  }
}

/**
 * Codes shared by every area. `sentence` facts (invalid_request, invalid_body, payload_too_large)
 * may only be set by edge parsing code (app/http, routes) that knows which form field it read;
 * the domain and the models never write sentences.
 */
export const COMMON_REFUSALS = defineRefusals({
  not_found: {
    status: 404,
    message: (r: { subject?: NotFoundSubject }) => (r.subject ? `No such ${r.subject}.` : "Not found."),
  },
  unauthenticated: { status: 401, message: "Please sign in to continue." },
  forbidden: { status: 403, message: (r: { verb?: string }) => (r.verb ? `Only the camera's owner can ${r.verb} it.` : "You may not do that.") },
  method_not_allowed: { status: 405, message: "This endpoint does not accept that method." },
  invalid_body: { status: 400, message: (r: { expected?: string }) => r.expected ?? "The request body could not be read as JSON or form data." },
  invalid_request: {
    status: 400,
    message: (r: { sentence?: string; problem?: string }) => r.sentence ?? problemSentence(r) ?? "Some fields are missing or invalid.",
    expose: ["issues", "field"],
  },
  payload_too_large: {
    status: 413,
    message: (r: { sentence?: string }) => r.sentence ?? "The request body is too large.",
    expose: ["maxBytes"],
  },
  rate_limited: {
    status: 429,
    message: (r: { limit: RateLimitSubject }) => RATE_LIMIT_MESSAGES[r.limit],
    expose: ["retryAfterSeconds"],
    headers: (r: { retryAfterSeconds?: number; limit: RateLimitSubject }) =>
      // Activation has always answered without the header (retryAfterSeconds is in the body); sign-in and video send it.
      r.retryAfterSeconds !== undefined && !r.limit.startsWith("activation") ? { "Retry-After": String(r.retryAfterSeconds) } : ({} as Record<string, string>),
  },
  feature_locked: {
    status: 403,
    message: (r: { feature: LockedFeatureName; planName: string; presetName?: string }) => lockedSentence(r),
    expose: ["feature", "upgradeUrl"],
  },
  csrf_rejected: { status: 403, message: "This request did not come from an AOVIS page and was refused." },
  internal_error: { status: 500, message: "Something went wrong on our side. Please try again.", expose: ["requestId"] },
});
