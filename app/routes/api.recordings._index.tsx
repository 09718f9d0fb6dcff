import { apiRoute } from "~/http/api-route.server";
import { readFavoriteUpload } from "~/http/voice-upload.server";
import { MAX_FAVORITE_UPLOAD_BYTES } from "~/domain/voice-input";
import { getConfig } from "~/lib/config.server";
import { depsOf } from "~/models/deps.server";
import { saveUploadedFavorite } from "~/models/voice/favorite-upload.server";
import { ListQuery } from "~/models/voice/inputs";
import { listRecordings } from "~/models/voice/recordings.server";

// GET /api/recordings?page=1&limit=20&favoritesOnly=false&q=words → the caller's live recordings, newest
// first; `q` (at most RECORDING_SEARCH_MAX_CHARS) keeps those whose text or voice name contains it.
export const loader = apiRoute({
  method: "GET",
  query: ListQuery,
  run: async ({ context, query, user, requestId }) => ({ ok: true, ...(await listRecordings(depsOf(context), query, { user, requestId })) }),
});

// POST /api/recordings multipart {audioBlob, voiceId, voiceName?, text, speed?, audioConfig? (JSON),
// presetUsed?} → 201 {recordingId, s3Url, recording}: a favourite made elsewhere, stored with its
// audio. `s3Url` (the documented clients' name) is our URL that plays it to its owner.
export const action = apiRoute({
  method: "POST",
  okStatus: 201,
  maxBodyBytes: MAX_FAVORITE_UPLOAD_BYTES,
  readsOwnBody: true,
  run: async ({ context, env, request, user, requestId }) => {
    const upload = await readFavoriteUpload(request);
    if (!upload.ok) return upload;
    const r = await saveUploadedFavorite(depsOf(context), upload.value, { user, requestId });
    if (!r.ok) return r;
    const s3Url = new URL(r.recording.audioUrl, getConfig(env).APP_ORIGIN).toString();
    return { ok: true, recordingId: r.recording.id, s3Url, recording: r.recording };
  },
});
