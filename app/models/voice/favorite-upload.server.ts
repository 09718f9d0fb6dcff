/**
 * A favourite a client made elsewhere, uploaded with its audio (POST /api/recordings, issue 15):
 * the audio passes the clone samples' checks (size, declared type, magic bytes), goes to R2 under
 * the owner's prefix, then ONE insert writes the row as a ready favourite (it never expires). It is
 * not a generation: no quota is spent or refunded. If the insert fails, the object is deleted again.
 */
import { voiceRecordings } from "~/db/schema";
import { VOICE_PRESETS } from "~/domain/plans";
import { refuse, type Refusal } from "~/domain/result";
import { ACCEPTED_AUDIO_TYPES, checkCloneSamples, SNIFF_BYTES, type UploadCheck } from "~/domain/voice-input";
import { SETTING_RANGES, monthKey, type VoiceSettings } from "~/domain/voice-tiers";
import { log } from "~/lib/log.server";
import type { Actor, Deps } from "../deps.server";
import type { FavoriteUploadInput } from "./inputs";
import { recordingKey, toRecordingView, type Recording, type RecordingView } from "./recordings.server";

export type FavoriteUploadResult = { ok: true; recording: RecordingView } | Exclude<UploadCheck, { ok: true }> | Refusal<"storage_failed", { what: "upload" }>;

// The settings our own views carry: the upload's numbers where they are in range, else the default preset's.
const DEFAULT_PRESET = VOICE_PRESETS[0];
function settingsFrom(config: Record<string, unknown> | undefined, speed: number): VoiceSettings {
  const pick = (k: "stability" | "similarityBoost" | "style") => {
    const v = config?.[k];
    return typeof v === "number" && v >= SETTING_RANGES[k].min && v <= SETTING_RANGES[k].max ? v : DEFAULT_PRESET[k];
  };
  return { stability: pick("stability"), similarityBoost: pick("similarityBoost"), style: pick("style"), speed };
}

export async function saveUploadedFavorite(deps: Deps, input: FavoriteUploadInput, actor: Actor): Promise<FavoriteUploadResult> {
  const { db, env } = deps;
  const file = input.audioBlob;
  const name = file.name || "audioBlob";
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const check = checkCloneSamples([{ name, type: file.type, size: file.size, head }]);
  if (!check.ok) return check;
  // Served back with the declared type (without parameters), which the check accepted.
  const contentType = file.type.split(";")[0].trim().toLowerCase();
  if (!Object.hasOwn(ACCEPTED_AUDIO_TYPES, contentType)) return refuse("unsupported_file_type", { file: name });

  const now = actor.now ?? Date.now();
  const id = crypto.randomUUID();
  const row: Recording = {
    id,
    userId: actor.user.id,
    voiceId: input.voiceId,
    voiceName: input.voiceName,
    text: input.text,
    settingsJson: JSON.stringify(settingsFrom(input.audioConfig, input.speed)),
    preset: VOICE_PRESETS.some((p) => p.id === input.presetUsed) ? input.presetUsed : null,
    customPresetId: null,
    audioConfigJson: input.audioConfig ? JSON.stringify(input.audioConfig) : null,
    presetUsed: input.presetUsed,
    // Unique per upload: an upload never stands in for a generation (nor another upload).
    fingerprint: `upload:${id}`,
    usageMonth: monthKey(now),
    r2Key: recordingKey(actor.user.id, id),
    contentType,
    size: file.size,
    status: "ready",
    favorite: true,
    createdAt: now,
    readyAt: now,
    deletedAt: null,
    expiresAt: null,
  };
  try {
    await env.AUDIO.put(row.r2Key, await file.arrayBuffer(), { httpMetadata: { contentType } });
  } catch (err) {
    log("error", "favorite_upload_store_failed", { requestId: actor.requestId, message: String(err) });
    return refuse("storage_failed", { what: "upload" as const });
  }
  try {
    await db.insert(voiceRecordings).values(row);
  } catch (err) {
    log("error", "favorite_upload_row_failed", { requestId: actor.requestId, message: String(err) });
    await env.AUDIO.delete(row.r2Key).catch(() => undefined);
    return refuse("storage_failed", { what: "upload" as const });
  }
  return { ok: true, recording: toRecordingView(row) };
}
