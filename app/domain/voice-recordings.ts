/**
 * The lifecycle of a voice recording, decided without I/O (ADR 009): pending → ready | failed;
 * a non-favorite expires RECORDING_TTL_MS after it was made (un-favoriting restarts the clock),
 * a favorite never does; expired rows are claimed (`deleting`) and swept, object first.
 */
export const RECORDING_TTL_DAYS = 7;
export const RECORDING_TTL_MS = RECORDING_TTL_DAYS * 24 * 60 * 60 * 1000;
/** A pending row older than this lost its worker mid-stream: the sweep fails and refunds it. */
export const STALE_PENDING_MS = 60 * 60 * 1000;

/**
 * A deleted recording can be brought back for this long (the page's "Undo", POST
 * /api/recordings/:id/restore); after it the sweep purges the row and its audio.
 */
export const UNDO_DELETE_MINUTES = 10;
export const UNDO_DELETE_MS = UNDO_DELETE_MINUTES * 60 * 1000;

/** Longest text a recordings search may look for (GET /api/recordings?q=…, the studio's search field). */
export const RECORDING_SEARCH_MAX_CHARS = 200;

/** `deleted`: the owner deleted it and may still undo (outside the live set, so not listed or deduplicated). */
export type RecordingStatus = "pending" | "ready" | "failed" | "deleted" | "deleting";
/** Statuses a user still sees (and a duplicate request is served from). */
export const LIVE_RECORDING_STATUSES = ["pending", "ready"] as const satisfies readonly RecordingStatus[];

/** When a recording expires after its favorite flag becomes `favorite` at `now`. */
export function expiryAfterFavorite(favorite: boolean, now: number): number | null {
  return favorite ? null : now + RECORDING_TTL_MS;
}

/** Until when a recording deleted at `deletedAt` may be restored. */
export function undoDeadline(deletedAt: number): number {
  return deletedAt + UNDO_DELETE_MS;
}

/** Whether a recording deleted at `deletedAt` (and expiring at `expiresAt`, null = never) may still be restored at `now`. */
export function canRestore(deletedAt: number, expiresAt: number | null, now: number): boolean {
  return now < undoDeadline(deletedAt) && (expiresAt === null || expiresAt > now);
}
