import { defineRefusals } from "./spec";

/** The sentence for a video-service failure, by the AWS error code (or our InvalidResponse / MissingEndpoint). */
function videoServiceSentence(r: { awsCode: string }): string {
  switch (r.awsCode) {
    case "InvalidResponse":
      return "The video service sent an answer we could not read. Please try again in a moment.";
    case "MissingEndpoint":
      return "The video service returned no signaling endpoint.";
    case "ResourceNotFoundException":
      return "No recording was found for that time (the camera may have been offline).";
    case "ClientLimitExceededException":
      return "The video service is busy right now. Please try again in a moment.";
    default:
      return "The video service could not answer. Please try again in a moment.";
  }
}

const videoServiceError = { status: 502, message: videoServiceSentence, expose: ["awsCode", "operation"] } as const;

/** Refusal codes of the video area: the history window, clips, HLS and live view (see ../refusals.ts). */
export const VIDEO_REFUSALS = defineRefusals({
  invalid_range: { status: 400, message: "The start must be before the end, and the end can't be in the future." },
  no_cloud_entitlement: { status: 403, message: "This camera has no cloud plan, so there is no history to watch. Live view still works." },
  time_range_exceeds_entitlement: {
    status: 403,
    message: (r: { reason: "plan_limit" | "before_ownership" }) =>
      r.reason === "before_ownership"
        ? "That footage is from before this camera was on your account, so it isn't yours to see."
        : "That footage is older than your plan lets you see.",
    expose: ["window", "reason"],
  },
  range_too_long: {
    status: 400,
    message: (r: { maxSeconds: number }) => `A clip can cover at most ${r.maxSeconds / 3600} hours. Ask for it in parts.`,
    expose: ["maxSeconds", "parts"],
  },
  timeline_range_too_long: {
    status: 400,
    message: (r: { maxDays: number }) => `A timeline can cover at most ${r.maxDays} days. Ask for it in pages.`,
    expose: ["maxDays"],
  },
  no_footage: { status: 404, message: "Nothing was recorded at that moment (the camera may have been offline)." },
  live_unavailable: { status: 409, message: "This camera has no live channel yet. Please contact support." },
  clip_error: videoServiceError,
  stream_error: videoServiceError,
  live_error: videoServiceError,
  timeline_error: videoServiceError,
  thumbnail_error: videoServiceError,
});
