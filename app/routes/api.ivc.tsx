import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { readCloneUpload } from "~/http/voice-upload.server";
import { MAX_CLONE_UPLOAD_BYTES } from "~/domain/voice-input";
import { depsOf } from "~/models/deps.server";
import { cloneVoice, mayCloneVoice } from "~/models/voice/clones.server";

// POST /api/ivc multipart {name, description?, files (1–5 audio samples, ≤ 10 MB each)} → 201
// {voice, requiresVerification}. Basic and Premium only (ADR 009); Free → 403 feature_locked
// before the upload is even read. The upload has its own byte cap (readCloneUpload).
export const action = apiRoute({
  method: "POST",
  okStatus: 201,
  maxBodyBytes: MAX_CLONE_UPLOAD_BYTES,
  readsOwnBody: true,
  run: async ({ context, request, user, requestId }) => {
    const deps = depsOf(context);
    const actor = { user, requestId };
    const allowed = await mayCloneVoice(deps, actor);
    if (!allowed.ok) return allowed;
    const upload = await readCloneUpload(request);
    if (!upload.ok) return upload;
    const r = await cloneVoice(deps, upload.value, actor);
    return r.ok ? { ok: true, voice: r.voice, requiresVerification: r.requiresVerification } : r;
  },
});

export const loader = methodNotAllowed;
