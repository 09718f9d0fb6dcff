/**
 * One text-to-speech generation, shared by POST /api/tts (streams the audio back while it is
 * written to R2) and the studio page's form (waits for the write, then shows the player).
 *
 * Order: tier rules → voice → dedupe from history → reserve quota (one conditional upsert) →
 * pending row → provider → first audio bytes → tee to the caller and R2 → ready. Every failure
 * after the reservation refunds it exactly once (failGeneration flips pending → failed).
 */
import { and, eq, isNotNull, lte } from "drizzle-orm";
import { voiceRecordings } from "~/db/schema";
import { voiceTierByCode } from "~/domain/plans";
import { refuse, type Refusal } from "~/domain/result";
import { RECORDING_TTL_MS } from "~/domain/voice-recordings";
import { checkGenerationRequest, requestFingerprintInput, resetDate, type FeatureLocked, type InvalidGeneration } from "~/domain/voice-tiers";
import { putStream } from "~/lib/audio-store.server";
import { sha256Hex } from "~/lib/crypto.server";
import { ElevenLabsError } from "~/lib/elevenlabs.server";
import { log } from "~/lib/log.server";
import type { Actor, Deps } from "../deps.server";
import { AudioCutOffError, fanOut, firstChunk } from "./audio-stream";
import type { GenerateInput } from "./inputs";
import { getCustomPreset } from "./presets.server";
import { failGeneration, liveRecording, recordingKey, toRecordingView, waitForReady, type Recording, type RecordingView } from "./recordings.server";
import { upgradeUrl, voiceTier } from "./tier.server";
import { readUsage, refundGeneration, refundUnlessRecorded, reserveGeneration, type UsageView } from "./usage-ledger.server";
import { elevenLabs, resolveVoice, type ProviderUnavailable } from "./voices.server";

export interface Generated {
  ok: true;
  /** provider: newly generated; history: an identical earlier request, no quota spent. */
  source: "provider" | "history";
  recording: RecordingView;
  /** deliver "stream": the audio to send (provider: a tee branch; history: the R2 object). */
  audio: ReadableStream<Uint8Array> | null;
  contentType: string;
  /** Known for history (the stored object); null while a generation is streaming. */
  size: number | null;
  /** Resolves when the R2 write settled (ok = the recording is ready). Never rejects. */
  stored: Promise<StoreOutcome>;
  usage: UsageView;
}

/**
 * How a generation's audio ended up: stored and ready; cut off by the provider after its first
 * bytes (the caller's stream errors too); or not stored (R2 failed, or the recording was deleted
 * while it streamed). Both failures are refunded.
 */
export type StoreOutcome = { ok: true } | Refusal<"provider_cut_off"> | Refusal<"storage_failed", { what: "recording" }>;

export type GenerateResult =
  | Generated
  | (FeatureLocked & { upgradeUrl: string })
  | InvalidGeneration
  | Refusal<"invalid_request", { field?: string; problem: "unknown_custom_preset" | "provider_refused_text" }>
  | Refusal<"LIMIT_REACHED", { planName: string; limit: number; resetDate: number; upgradeUrl: string }>
  | Refusal<"unknown_voice" | "generation_in_progress" | "storage_unavailable" | "provider_error" | "provider_no_audio">
  | ProviderUnavailable
  | Refusal<"provider_unavailable", { operation: "generation" }>;

const PROVIDER_HEADERS_TIMEOUT_MS = 30_000;
const DEDUPE_WAIT_MS = 15_000;

function providerFailure(err: unknown): GenerateResult {
  if (err instanceof ElevenLabsError) {
    log("warn", "tts_provider_failed", { status: err.status, code: err.code });
    if (err.code === "voice_not_found") return refuse("unknown_voice");
    if (err.status === 400 || err.status === 422) return refuse("invalid_request", { problem: "provider_refused_text" as const });
    return refuse("provider_unavailable", { operation: "generation" as const });
  }
  log("error", "tts_failed", { error: err instanceof Error ? err.message : String(err) });
  return refuse("provider_error");
}

async function fromHistory(
  deps: Deps,
  userId: string,
  fingerprint: string,
  deliver: "stream" | "store",
  now: number,
): Promise<{ row: Recording; audio: ReadableStream<Uint8Array> | null; size: number } | null> {
  const { db, env } = deps;
  let [row]: (Recording | null)[] = await db
    .select()
    .from(voiceRecordings)
    .where(and(eq(voiceRecordings.userId, userId), eq(voiceRecordings.fingerprint, fingerprint), liveRecording(now)))
    .limit(1);
  if (!row) return null;
  if (row.status === "pending") {
    row = await waitForReady(deps, row.id, DEDUPE_WAIT_MS);
    if (!row || row.status !== "ready") return null;
  }
  const object = deliver === "stream" ? await env.AUDIO.get(row.r2Key) : await env.AUDIO.head(row.r2Key);
  if (!object) {
    // The row outlived its audio (should not happen: objects are deleted after rows are claimed).
    await db
      .update(voiceRecordings)
      .set({ status: "deleting", expiresAt: now })
      .where(and(eq(voiceRecordings.id, row.id), eq(voiceRecordings.status, "ready")));
    return null;
  }
  return { row, audio: "body" in object ? (object as R2ObjectBody).body : null, size: object.size };
}

export async function generateSpeech(deps: Deps, req: GenerateInput, actor: Actor, opts: { deliver: "stream" | "store" }): Promise<GenerateResult> {
  const { db, env } = deps;
  const userId = actor.user.id;
  const now = actor.now ?? Date.now();
  const tier = await voiceTier(deps, userId, now);

  let customPreset = null;
  if (req.customPresetId) {
    customPreset = await getCustomPreset(deps, userId, req.customPresetId);
    if (!customPreset) return refuse("invalid_request", { field: "customPresetId", problem: "unknown_custom_preset" as const });
  }
  const check = checkGenerationRequest({
    tier,
    preset: req.preset ?? null,
    settings: req.settings ?? null,
    customPreset,
    speakerBoost: req.speakerBoost ?? null,
  });
  if (!check.ok) {
    if (check.error === "invalid_request") return check;
    const need = check.feature === "preset" ? { feature: "preset" as const, presetId: req.preset ?? "" } : { feature: check.feature };
    return { ...check, upgradeUrl: upgradeUrl(tier, need) };
  }

  const voice = await resolveVoice(deps, userId, req.voiceId);
  if (!voice.ok) return voice;

  const fingerprint = await sha256Hex(
    requestFingerprintInput({ voiceId: req.voiceId, text: req.text, settings: check.settings, speakerBoost: check.speakerBoost }),
  );
  const served = async (): Promise<Generated | null> => {
    const hit = await fromHistory(deps, userId, fingerprint, opts.deliver, now);
    if (!hit) return null;
    return {
      ok: true,
      source: "history",
      recording: toRecordingView(hit.row),
      audio: hit.audio,
      contentType: hit.row.contentType,
      size: hit.size,
      stored: Promise.resolve({ ok: true }),
      usage: await readUsage(deps, userId, tier, now),
    };
  };
  const previous = await served();
  if (previous) return previous;

  const reservation = await reserveGeneration(deps, userId, tier, now);
  if (!reservation.ok) {
    return refuse("LIMIT_REACHED", {
      planName: voiceTierByCode(tier)!.name,
      limit: reservation.limit,
      resetDate: resetDate(now),
      upgradeUrl: upgradeUrl(tier, { feature: "generations" }),
    });
  }

  // The pending row exists before any audio moves. Expired-but-unswept duplicates are handed to the
  // sweep first, so the live-fingerprint unique index only ever sees live rows. One batch (a D1
  // transaction): when the insert loses to an identical live request, the last statement gives the
  // unit back in the same transaction; when the batch fails as a whole, the catch gives it back.
  const id = crypto.randomUUID();
  const row: Recording = {
    id,
    userId,
    voiceId: req.voiceId,
    voiceName: voice.name,
    text: req.text,
    settingsJson: JSON.stringify(check.settings),
    preset: check.presetId,
    customPresetId: check.customPresetId,
    audioConfigJson: null,
    presetUsed: null,
    fingerprint,
    usageMonth: reservation.month,
    r2Key: recordingKey(userId, id),
    // We always ask for mp3 (the client's default output format).
    contentType: "audio/mpeg",
    size: null,
    status: "pending",
    favorite: false,
    createdAt: now,
    readyAt: null,
    expiresAt: now + RECORDING_TTL_MS,
    deletedAt: null,
  };
  let inserted: D1Result;
  try {
    [, inserted] = (await db.batch([
      db
        .update(voiceRecordings)
        .set({ status: "deleting" })
        .where(
          and(
            eq(voiceRecordings.userId, userId),
            eq(voiceRecordings.fingerprint, fingerprint),
            eq(voiceRecordings.status, "ready"),
            isNotNull(voiceRecordings.expiresAt),
            lte(voiceRecordings.expiresAt, now),
          ),
        ),
      db.insert(voiceRecordings).values(row).onConflictDoNothing(),
      refundUnlessRecorded(db, { userId, month: reservation.month, recordingId: id, now }),
    ])) as [D1Result, D1Result, D1Result];
  } catch (err) {
    // Nothing of the batch happened (D1 rolled it back), so the reservation is still taken: return
    // it. If this refund fails too the request errors and the log line says which unit was lost.
    log("error", "tts_insert_failed", { userId, month: reservation.month, error: err instanceof Error ? err.message : String(err) });
    await refundGeneration(deps, userId, reservation.month, now);
    return refuse("storage_unavailable");
  }
  if ((inserted.meta.changes ?? 0) === 0) {
    // An identical request is generating right now (this one's unit went back in the batch): share its result.
    return (await served()) ?? refuse("generation_in_progress");
  }

  let body: ReadableStream<Uint8Array>;
  const headersTimeout = new AbortController();
  const timer = setTimeout(() => headersTimeout.abort(new DOMException("provider headers timeout", "TimeoutError")), PROVIDER_HEADERS_TIMEOUT_MS);
  try {
    body = (
      await elevenLabs(env).textToSpeech({
        voiceId: req.voiceId,
        text: req.text,
        // Speaker boost is only sent when chosen: otherwise the provider's default for the voice applies.
        settings: check.speakerBoost === undefined ? check.settings : { ...check.settings, useSpeakerBoost: check.speakerBoost },
        signal: headersTimeout.signal,
      })
    ).body;
  } catch (err) {
    await failGeneration(deps, id, now);
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
    await failGeneration(deps, id, now);
    return providerFailure(err);
  }
  if (!first) {
    await failGeneration(deps, id, now);
    log("warn", "tts_no_audio", { recordingId: id });
    return refuse("provider_no_audio");
  }

  const { toStore, toCaller } = fanOut(first, reader, { toCaller: opts.deliver === "stream" });
  const notStored = refuse("storage_failed", { what: "recording" as const });
  const stored: Promise<StoreOutcome> = putStream(env.AUDIO, row.r2Key, toStore, { contentType: row.contentType, contentLength: null })
    .then(async ({ size }): Promise<StoreOutcome> => {
      const done = await db
        .update(voiceRecordings)
        .set({ status: "ready", size, readyAt: Date.now() })
        .where(and(eq(voiceRecordings.id, id), eq(voiceRecordings.status, "pending")));
      if ((done.meta.changes ?? 0) === 0) {
        // Deleted (or swept) while streaming: the object must not outlive its row.
        await env.AUDIO.delete(row.r2Key);
        return notStored;
      }
      return { ok: true };
    })
    .catch(async (err): Promise<StoreOutcome> => {
      const cutOff = err instanceof AudioCutOffError;
      log("warn", cutOff ? "tts_cut_off" : "tts_store_failed", { recordingId: id, error: err instanceof Error ? err.message : String(err) });
      await failGeneration(deps, id, Date.now()).catch(() => false);
      await env.AUDIO.delete(row.r2Key).catch(() => {});
      return cutOff ? refuse("provider_cut_off") : notStored;
    });

  return {
    ok: true,
    source: "provider",
    recording: toRecordingView(row),
    audio: toCaller,
    contentType: row.contentType,
    size: null,
    stored,
    usage: await readUsage(deps, userId, tier, now),
  };
}
