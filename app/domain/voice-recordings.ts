/**
 * The lifecycle of a voice recording, decided without I/O (ADR 009): pending → ready | failed;
 * a non-favorite expires RECORDING_TTL_MS after it was made (un-favoriting restarts the clock),
 * a favorite never does; expired rows are claimed (`deleting`) and swept, object first.
 */
export const RECORDING_TTL_DAYS = 7;
export const RECORDING_TTL_MS = RECORDING_TTL_DAYS * 24 * 60 * 60 * 1000;
/** A pending row older than this lost its worker mid-stream: the sweep fails and refunds it. */
export const STALE_PENDING_MS = 60 * 60 * 1000;

export type RecordingStatus = "pending" | "ready" | "failed" | "deleting";
/** Statuses a user still sees (and a duplicate request is served from). */
export const LIVE_RECORDING_STATUSES = ["pending", "ready"] as const satisfies readonly RecordingStatus[];

/** When a recording expires after its favorite flag becomes `favorite` at `now`. */
export function expiryAfterFavorite(favorite: boolean, now: number): number | null {
  return favorite ? null : now + RECORDING_TTL_MS;
}
