import { decideRange } from "~/domain/byte-range";
import type { VoiceSettings } from "~/domain/voice-tiers";
import { jsonError } from "~/lib/http.server";

/**
 * Recordings: D1 metadata + R2 audio under `${userId}/${id}.mp3` (ADR 009).
 * Lifecycle: pending → ready | failed; non-favorites expire 7 days after creation (un-favoriting
 * restarts the clock); expired rows are claimed (`deleting`), their object deleted, then the row.
 */

export const RECORDING_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** A pending row older than this lost its worker mid-stream: the sweep fails and refunds it. */
export const STALE_PENDING_MS = 60 * 60 * 1000;
export const LIVE = "status IN ('pending', 'ready') AND (expires_at IS NULL OR expires_at > ?2)";

export interface RecordingRow {
  id: string;
  user_id: string;
  voice_id: string;
  voice_name: string | null;
  text: string;
  settings_json: string;
  preset: string | null;
  custom_preset_id: string | null;
  fingerprint: string;
  usage_month: string;
  r2_key: string;
  content_type: string;
  size: number | null;
  status: "pending" | "ready" | "failed" | "deleting";
  favorite: number;
  created_at: number;
  ready_at: number | null;
  expires_at: number | null;
}

export interface RecordingView {
  id: string;
  voiceId: string;
  voiceName: string | null;
  text: string;
  settings: VoiceSettings;
  preset: string | null;
  customPresetId: string | null;
  status: "pending" | "ready";
  size: number | null;
  favorite: boolean;
  createdAt: number;
  /** null for favorites (kept until un-favorited). */
  expiresAt: number | null;
  audioUrl: string;
}

export function toRecordingView(r: RecordingRow): RecordingView {
  return {
    id: r.id,
    voiceId: r.voice_id,
    voiceName: r.voice_name,
    text: r.text,
    settings: JSON.parse(r.settings_json) as VoiceSettings,
    preset: r.preset,
    customPresetId: r.custom_preset_id,
    status: r.status === "ready" ? "ready" : "pending",
    size: r.size,
    favorite: !!r.favorite,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    audioUrl: `/api/recordings/${r.id}/audio`,
  };
}

export const recordingKey = (userId: string, id: string) => `${userId}/${id}.mp3`;

/** The user's live recording (pending or ready, not expired); anything else, anyone else's → null. */
export async function getRecordingRow(env: Env, userId: string, id: string, now = Date.now()): Promise<RecordingRow | null> {
  return env.DB.prepare(`SELECT * FROM voice_recordings WHERE id = ?1 AND ${LIVE} AND user_id = ?3`).bind(id, now, userId).first<RecordingRow>();
}

export async function listRecordings(
  env: Env,
  userId: string,
  q: { page: number; limit: number; favoritesOnly: boolean },
  now = Date.now(),
): Promise<{ recordings: RecordingView[]; page: number; limit: number; total: number; hasMore: boolean }> {
  const fav = q.favoritesOnly ? " AND favorite = 1" : "";
  const [rows, count] = await env.DB.batch<RecordingRow | { n: number }>([
    env.DB.prepare(`SELECT * FROM voice_recordings WHERE user_id = ?1 AND ${LIVE}${fav} ORDER BY created_at DESC, id DESC LIMIT ?3 OFFSET ?4`).bind(
      userId,
      now,
      q.limit,
      (q.page - 1) * q.limit,
    ),
    env.DB.prepare(`SELECT COUNT(*) AS n FROM voice_recordings WHERE user_id = ?1 AND ${LIVE}${fav}`).bind(userId, now),
  ]);
  const total = (count.results[0] as { n: number }).n;
  return {
    recordings: (rows.results as RecordingRow[]).map(toRecordingView),
    page: q.page,
    limit: q.limit,
    total,
    hasMore: q.page * q.limit < total,
  };
}

/**
 * Sets (or, with `favorite` undefined, toggles) the favorite flag in one statement. Favorites never
 * expire; un-favoriting restarts the 7-day clock; "setting" the current value changes nothing.
 */
export async function setFavorite(env: Env, userId: string, id: string, favorite: boolean | undefined, now = Date.now()): Promise<RecordingView | null> {
  const target = favorite === undefined ? null : favorite ? 1 : 0;
  const row = await env.DB.prepare(
    `UPDATE voice_recordings SET
       expires_at = CASE
         WHEN COALESCE(?4, 1 - favorite) = favorite THEN expires_at
         WHEN COALESCE(?4, 1 - favorite) = 1 THEN NULL
         ELSE ?5 END,
       favorite = COALESCE(?4, 1 - favorite)
     WHERE id = ?1 AND ${LIVE} AND user_id = ?3
     RETURNING *`,
  )
    .bind(id, now, userId, target, now + RECORDING_TTL_MS)
    .first<RecordingRow>();
  return row ? toRecordingView(row) : null;
}

/**
 * Deletes the user's recording: claim the row (`deleting`), delete the object, then the row. If
 * the object delete fails the claimed row stays for the sweep, so the audio never outlives it.
 */
export async function deleteRecording(env: Env, userId: string, id: string, now = Date.now()): Promise<boolean> {
  const claimed = await env.DB.prepare(
    `UPDATE voice_recordings SET status = 'deleting', expires_at = ?2
     WHERE id = ?1 AND ${LIVE} AND user_id = ?3 RETURNING r2_key`,
  )
    .bind(id, now, userId)
    .first<{ r2_key: string }>();
  if (!claimed) return false;
  await env.AUDIO.delete(claimed.r2_key);
  await env.DB.prepare("DELETE FROM voice_recordings WHERE id = ?1 AND status = 'deleting'").bind(id).run();
  return true;
}

/**
 * Marks a pending generation failed (provider error, no audio, R2 failure) and gives the unit back,
 * in ONE batch (a D1 transaction): the refund only matches while the row is still pending, then the
 * flip. Either both happen or neither (the row stays pending and the sweep refunds it later), and
 * only the batch that finds the row pending refunds, so a unit is never returned twice.
 */
export async function failGeneration(env: Env, id: string, now = Date.now()): Promise<boolean> {
  const [, flipped] = await env.DB.batch([
    env.DB.prepare(
      `UPDATE voice_usage SET used = used - 1, updated_at = ?2
       WHERE used > 0 AND (user_id, month) IN (SELECT user_id, usage_month FROM voice_recordings WHERE id = ?1 AND status = 'pending')`,
    ).bind(id, now),
    env.DB.prepare("UPDATE voice_recordings SET status = 'failed', expires_at = ?2 WHERE id = ?1 AND status = 'pending'").bind(id, now),
  ]);
  return (flipped.meta.changes ?? 0) > 0;
}

/** Polls a pending recording until it is ready (or gone/failed), for at most `timeoutMs`. */
export async function waitForReady(env: Env, id: string, timeoutMs: number, now = () => Date.now()): Promise<RecordingRow | null> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const row = await env.DB.prepare("SELECT * FROM voice_recordings WHERE id = ?1").bind(id).first<RecordingRow>();
    if (!row || row.status === "ready") return row;
    if (row.status !== "pending" || now() >= deadline) return row.status === "pending" ? row : null;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * GET /api/recordings/:id/audio: owner only (everything else 404), `Accept-Ranges: bytes`, one
 * range → 206, unsatisfiable → 416. A recording still being stored is waited for briefly.
 */
export async function recordingAudioResponse(env: Env, userId: string, id: string, rangeHeader: string | null, now = Date.now()): Promise<Response> {
  let row = await getRecordingRow(env, userId, id, now);
  if (!row) return jsonError(404, "not_found", "No such recording.");
  if (row.status === "pending") {
    row = await waitForReady(env, id, 10_000);
    if (!row || row.status === "failed" || row.status === "deleting") return jsonError(404, "not_found", "No such recording.");
    if (row.status === "pending") {
      return jsonError(409, "not_ready", "This recording is still being saved. Try again in a moment.", {}, { headers: { "Retry-After": "2" } });
    }
  }
  const size = row.size ?? 0;
  const range = decideRange(rangeHeader, size);
  const base = {
    "Accept-Ranges": "bytes",
    // Revalidated on every play (ETag below): after a delete or a sign-out a shared computer's
    // browser cache must not keep serving it. Range requests still stream straight from R2.
    "Cache-Control": "private, no-cache",
    "Content-Type": row.content_type,
  };
  if (range.kind === "unsatisfiable") {
    return jsonError(416, "range_not_satisfiable", "The requested byte range is outside the recording.", { size }, {
      headers: { ...base, "Content-Range": range.contentRange, "Content-Type": "application/json" },
    });
  }
  const object = await env.AUDIO.get(row.r2_key, range.kind === "partial" ? { range: { offset: range.start, length: range.length } } : undefined);
  if (!object) return jsonError(404, "not_found", "No such recording.");
  const headers = new Headers(base);
  headers.set("ETag", object.httpEtag);
  if (range.kind === "partial") {
    headers.set("Content-Range", range.contentRange);
    headers.set("Content-Length", String(range.length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
}

// ---------------------------------------------------------------------------------------------
// Cron sweep

const SWEEP_BATCH = 50; // D1 binds at most 100 parameters per statement
const SWEEP_ROUNDS = 10;

/**
 * Expired recordings: claim (status → deleting), delete their R2 objects, then the rows. A crash
 * between the steps leaves `deleting` rows that the next run finishes; deleting a missing object
 * is a no-op, so every step is idempotent. Also fails (and refunds) pending rows whose worker died.
 */
export async function sweepRecordings(env: Env, now = Date.now()): Promise<Record<string, number>> {
  // Refund every stale pending row (per user and month, as many units as rows), then flip them:
  // one batch, so a crash can't fail a row without its refund (or refund without failing it).
  const staleCutoff = now - STALE_PENDING_MS;
  const [, stale] = await env.DB.batch([
    env.DB.prepare(
      `UPDATE voice_usage SET
         used = MAX(0, used - (SELECT COUNT(*) FROM voice_recordings r
                               WHERE r.user_id = voice_usage.user_id AND r.usage_month = voice_usage.month
                                 AND r.status = 'pending' AND r.created_at < ?2)),
         updated_at = ?1
       WHERE (user_id, month) IN (SELECT user_id, usage_month FROM voice_recordings WHERE status = 'pending' AND created_at < ?2)`,
    ).bind(now, staleCutoff),
    env.DB.prepare("UPDATE voice_recordings SET status = 'failed', expires_at = ?1 WHERE status = 'pending' AND created_at < ?2").bind(now, staleCutoff),
  ]);
  const staleFailed = stale.meta.changes ?? 0;

  let deleted = 0;
  let objects = 0;
  for (let round = 0; round < SWEEP_ROUNDS; round++) {
    await env.DB.prepare(
      `UPDATE voice_recordings SET status = 'deleting'
       WHERE id IN (SELECT id FROM voice_recordings WHERE status IN ('ready', 'failed') AND expires_at IS NOT NULL AND expires_at <= ?1 LIMIT ?2)`,
    )
      .bind(now, SWEEP_BATCH)
      .run();
    const claimed = await env.DB.prepare("SELECT id, r2_key FROM voice_recordings WHERE status = 'deleting' LIMIT ?1")
      .bind(SWEEP_BATCH)
      .all<{ id: string; r2_key: string }>();
    const rows = claimed.results;
    if (rows.length === 0) break;
    await env.AUDIO.delete(rows.map((r) => r.r2_key));
    objects += rows.length;
    const placeholders = rows.map((_, i) => `?${i + 1}`).join(", ");
    const res = await env.DB.prepare(`DELETE FROM voice_recordings WHERE status = 'deleting' AND id IN (${placeholders})`)
      .bind(...rows.map((r) => r.id))
      .run();
    deleted += res.meta.changes ?? 0;
    if (rows.length < SWEEP_BATCH) break;
  }
  return { recordingsDeleted: deleted, objectsDeleted: objects, stalePendingFailed: staleFailed };
}
