import { getDb } from "~/db/client.server";
import type { VoiceTierCode } from "~/domain/plans";
import { checkGenerationRequest, requestFingerprintInput, tierFeatures, type VoiceSettings } from "~/domain/voice-tiers";
import { putStream } from "~/lib/audio-store.server";
import { sha256Hex } from "~/lib/auth.server";
import { ElevenLabsError } from "~/lib/elevenlabs.server";
import { failure, type Failure } from "~/lib/http.server";
import { log } from "~/lib/log.server";
import {
  elevenLabs,
  getCustomPreset,
  getUsage,
  limitReached,
  PREMIUM_URL,
  refundGeneration,
  reserveGeneration,
  resolveVoice,
  upgradeUrlFor,
  type UsageView,
} from "~/models/voice.server";
import {
  failGeneration,
  RECORDING_TTL_MS,
  recordingKey,
  toRecordingView,
  waitForReady,
  type RecordingRow,
  type RecordingView,
} from "~/models/voice-recordings.server";
import { voiceTierForUser } from "~/models/voice-tier.server";

/**
 * One text-to-speech generation, shared by POST /api/tts (streams the audio back while it is
 * written to R2) and the studio page's form action (waits for the write, then shows the player).
 *
 * Order: tier rules → voice → dedupe from history → reserve quota (one conditional upsert) →
 * pending row → provider → first audio bytes → tee to the caller and R2 → ready. Every failure
 * after the reservation refunds it exactly once (failGeneration flips pending → failed).
 */

export interface GenerateRequest {
  voiceId: string;
  text: string;
  preset?: string | null;
  customPresetId?: string | null;
  settings?: Partial<VoiceSettings> | null;
}

export type GenerateResult =
  | {
      ok: true;
      /** provider: newly generated; history: an identical earlier request, no quota spent. */
      source: "provider" | "history";
      recording: RecordingView;
      /** deliver "stream": the audio to send (provider: a tee branch; history: the R2 object). */
      audio: ReadableStream<Uint8Array> | null;
      contentType: string;
      /** Known for history (the stored object); null while a generation is streaming. */
      size: number | null;
      /** Resolves when the R2 write settled: true = ready. Never rejects. */
      stored: Promise<boolean>;
      usage: UsageView;
    }
  | Failure;

const PROVIDER_HEADERS_TIMEOUT_MS = 30_000;
const DEDUPE_WAIT_MS = 15_000;

function lockedFailure(tier: VoiceTierCode, feature: string, message: string, presetId: string | null): Failure {
  // A preset that Basic includes points a Free user to Basic; sliders and custom presets are Premium-only.
  const toBasic = feature === "preset" && tier === "FREE" && presetId !== null && tierFeatures("BASIC").presetIds.includes(presetId);
  return failure(403, "feature_locked", message, { feature, upgradeUrl: toBasic ? upgradeUrlFor("FREE")! : PREMIUM_URL });
}

function providerFailure(err: unknown): Failure {
  if (err instanceof ElevenLabsError) {
    log("warn", "tts_provider_failed", { status: err.status, code: err.code });
    if (err.code === "voice_not_found") return failure(400, "unknown_voice", "That voice is not available. Pick one from the list.");
    if (err.status === 400 || err.status === 422) return failure(400, "invalid_request", "The voice service refused this text. Please shorten or rephrase it.");
    return failure(503, "provider_unavailable", "The voice service is busy or unavailable. Your generation was not counted; please try again.");
  }
  log("error", "tts_failed", { error: err instanceof Error ? err.message : String(err) });
  return failure(502, "provider_error", "The voice service failed. Your generation was not counted; please try again.");
}

/** Reads until the first non-empty chunk; null when the stream ends without a byte. */
async function firstChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array | null> {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return null;
    if (value && value.length > 0) return value;
  }
}

/** `first` followed by the rest of `reader`, pulled on demand (no buffering beyond one chunk). */
function prepend(first: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  let sentFirst = false;
  reader.closed.catch(() => {}); // a cut provider stream is reported through read(), not as unhandled
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentFirst) {
        sentFirst = true;
        controller.enqueue(first);
        return;
      }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

async function fromHistory(
  env: Env,
  userId: string,
  fingerprint: string,
  deliver: "stream" | "store",
  now: number,
): Promise<{ row: RecordingRow; audio: ReadableStream<Uint8Array> | null; size: number } | null> {
  let row = await env.DB.prepare(
    `SELECT * FROM voice_recordings WHERE user_id = ?1 AND fingerprint = ?2 AND status IN ('pending', 'ready')
     AND (expires_at IS NULL OR expires_at > ?3) LIMIT 1`,
  )
    .bind(userId, fingerprint, now)
    .first<RecordingRow>();
  if (!row) return null;
  if (row.status === "pending") {
    row = await waitForReady(env, row.id, DEDUPE_WAIT_MS);
    if (!row || row.status !== "ready") return null;
  }
  const object = deliver === "stream" ? await env.AUDIO.get(row.r2_key) : await env.AUDIO.head(row.r2_key);
  if (!object) {
    // The row outlived its audio (should not happen: objects are deleted after rows are claimed).
    await env.DB.prepare("UPDATE voice_recordings SET status = 'deleting', expires_at = ?2 WHERE id = ?1 AND status = 'ready'").bind(row.id, now).run();
    return null;
  }
  return { row, audio: "body" in object ? (object as R2ObjectBody).body : null, size: object.size };
}

export async function generateSpeech(
  env: Env,
  userId: string,
  req: GenerateRequest,
  opts: { deliver: "stream" | "store"; now?: number },
): Promise<GenerateResult> {
  const now = opts.now ?? Date.now();
  const db = getDb(env);
  const tier = await voiceTierForUser(db, userId, now);

  let customPreset = null;
  if (req.customPresetId) {
    customPreset = await getCustomPreset(db, userId, req.customPresetId);
    if (!customPreset) return failure(400, "invalid_request", "That custom preset does not exist.", { field: "customPresetId" });
  }
  const check = checkGenerationRequest({ tier, preset: req.preset ?? null, settings: req.settings ?? null, customPreset });
  if (!check.ok) {
    if (check.error === "feature_locked") return lockedFailure(tier, check.feature, check.message, req.preset ?? null);
    return failure(400, "invalid_request", check.message, { field: check.field });
  }

  const voice = await resolveVoice(env, userId, req.voiceId);
  if (!voice.ok) return voice;

  const fingerprint = await sha256Hex(requestFingerprintInput({ voiceId: req.voiceId, text: req.text, settings: check.settings }));
  const served = async (): Promise<GenerateResult | null> => {
    const hit = await fromHistory(env, userId, fingerprint, opts.deliver, now);
    if (!hit) return null;
    return {
      ok: true,
      source: "history",
      recording: toRecordingView(hit.row),
      audio: hit.audio,
      contentType: hit.row.content_type,
      size: hit.size,
      stored: Promise.resolve(true),
      usage: await getUsage(env, userId, tier, now),
    };
  };
  const previous = await served();
  if (previous) return previous;

  const reservation = await reserveGeneration(env, userId, tier, now);
  if (!reservation.ok) return limitReached(tier, reservation.limit, now);

  // The pending row exists before any audio moves. Expired-but-unswept duplicates are handed to the
  // sweep first, so the live-fingerprint unique index only ever sees live rows. One batch (a D1
  // transaction): when the insert loses to an identical live request, the last statement gives the
  // unit back in the same transaction; when the batch fails as a whole, the catch gives it back.
  const id = crypto.randomUUID();
  const key = recordingKey(userId, id);
  const statements = [
    env.DB.prepare(
      "UPDATE voice_recordings SET status = 'deleting' WHERE user_id = ?1 AND fingerprint = ?2 AND status = 'ready' AND expires_at IS NOT NULL AND expires_at <= ?3",
    ).bind(userId, fingerprint, now),
    env.DB.prepare(
      `INSERT INTO voice_recordings (id, user_id, voice_id, voice_name, text, settings_json, preset, custom_preset_id, fingerprint, usage_month, r2_key, content_type, status, favorite, created_at, expires_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'audio/mpeg', 'pending', 0, ?12, ?13)
       ON CONFLICT DO NOTHING`,
    ).bind(
      id,
      userId,
      req.voiceId,
      voice.name,
      req.text,
      JSON.stringify(check.settings),
      check.presetId,
      check.customPresetId,
      fingerprint,
      reservation.month,
      key,
      now,
      now + RECORDING_TTL_MS,
    ),
    env.DB.prepare(
      "UPDATE voice_usage SET used = used - 1, updated_at = ?3 WHERE user_id = ?1 AND month = ?2 AND used > 0 AND NOT EXISTS (SELECT 1 FROM voice_recordings WHERE id = ?4)",
    ).bind(userId, reservation.month, now, id),
  ];
  let inserted: D1Result;
  try {
    [, inserted] = await env.DB.batch(statements);
  } catch (err) {
    // Nothing of the batch happened (D1 rolled it back), so the reservation is still taken: return
    // it. If this refund fails too the request errors and the log line says which unit was lost.
    log("error", "tts_insert_failed", { userId, month: reservation.month, error: err instanceof Error ? err.message : String(err) });
    await refundGeneration(env, userId, reservation.month, now);
    return failure(503, "storage_unavailable", "Your generation could not be started. It was not counted; please try again in a moment.");
  }
  if ((inserted.meta.changes ?? 0) === 0) {
    // An identical request is generating right now (this one's unit went back in the batch): share its result.
    return (await served()) ?? failure(409, "generation_in_progress", "The same text is being generated already. Please try again in a moment.");
  }

  let body: ReadableStream<Uint8Array>;
  let contentType: string;
  const headersTimeout = new AbortController();
  const timer = setTimeout(() => headersTimeout.abort(new DOMException("provider headers timeout", "TimeoutError")), PROVIDER_HEADERS_TIMEOUT_MS);
  try {
    const tts = await elevenLabs(env).textToSpeech({ voiceId: req.voiceId, text: req.text, settings: check.settings, signal: headersTimeout.signal });
    body = tts.body;
    // We always ask for mp3 (the client's default output format).
    contentType = "audio/mpeg";
  } catch (err) {
    await failGeneration(env, id, now);
    return providerFailure(err);
  } finally {
    clearTimeout(timer);
  }

  // Nothing is promised to the caller before the first audio bytes: an empty answer is refunded.
  const reader = body.getReader();
  let first: Uint8Array | null;
  try {
    first = await firstChunk(reader);
  } catch (err) {
    await failGeneration(env, id, now);
    return providerFailure(err);
  }
  if (!first) {
    await failGeneration(env, id, now);
    log("warn", "tts_no_audio", { recordingId: id });
    return failure(502, "provider_no_audio", "The voice service returned no audio. Your generation was not counted; please try again.");
  }

  const audio = prepend(first, reader);
  const [toCaller, toStore] = opts.deliver === "stream" ? audio.tee() : [null, audio];
  const stored = putStream(env.AUDIO, key, toStore, { contentType, contentLength: null })
    .then(async ({ size }) => {
      const done = await env.DB.prepare("UPDATE voice_recordings SET status = 'ready', size = ?2, ready_at = ?3 WHERE id = ?1 AND status = 'pending'")
        .bind(id, size, Date.now())
        .run();
      if ((done.meta.changes ?? 0) === 0) {
        // Deleted (or swept) while streaming: the object must not outlive its row.
        await env.AUDIO.delete(key);
        return false;
      }
      return true;
    })
    .catch(async (err) => {
      log("warn", "tts_store_failed", { recordingId: id, error: err instanceof Error ? err.message : String(err) });
      await failGeneration(env, id, Date.now()).catch(() => false);
      await env.AUDIO.delete(key).catch(() => {});
      return false;
    });

  const row: RecordingRow = {
    id,
    user_id: userId,
    voice_id: req.voiceId,
    voice_name: voice.name,
    text: req.text,
    settings_json: JSON.stringify(check.settings),
    preset: check.presetId,
    custom_preset_id: check.customPresetId,
    fingerprint,
    usage_month: reservation.month,
    r2_key: key,
    content_type: contentType,
    size: null,
    status: "pending",
    favorite: 0,
    created_at: now,
    ready_at: null,
    expires_at: now + RECORDING_TTL_MS,
  };
  return {
    ok: true,
    source: "provider",
    recording: toRecordingView(row),
    audio: toCaller,
    contentType,
    size: null,
    stored,
    usage: await getUsage(env, userId, tier, now),
  };
}
