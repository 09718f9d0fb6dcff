/**
 * The limits of cloud video, written once: what KVS allows per stream, how long the links we hand
 * out stay valid, and the longest history any product grants. Pure constants (the catalogue is
 * read for the last one, so a new plan moves it).
 */
import { CLOUD_PLANS, CLOUD_TRIAL } from "./plans";

/** KVS allows 5 GetClip and 5 GetHLSStreamingSessionURL calls per second per stream. */
export const KVS_TPS_PER_STREAM = 5;
/** The window those calls are counted in (one D1 counter per stream and API). */
export const KVS_PACING_WINDOW_MS = 1000;

/** How long an HLS session URL works; the player needs it for the whole playback. */
export const HLS_SESSION_SECONDS = 3600;
/** How long a presigned WebRTC viewer (signaling) URL works. */
export const VIEWER_URL_SECONDS = 300;

/** The most days of history any plan or the trial grants. */
export const LONGEST_HISTORY_DAYS = Math.max(
  ...CLOUD_PLANS.map((p) => p.historyDays),
  ...CLOUD_TRIAL.grants.filter((g) => g.key === "cloud_playback").map((g) => g.quota ?? 0),
);
