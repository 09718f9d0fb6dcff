import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { recordingAudio } from "~/models/voice/recording-audio.server";

// GET /api/recordings/:id/audio → the MP3 from R2, owner only, with Range support for seeking
// (206 + Content-Range; 416 when the range is outside the file).
export const loader = apiRoute({
  method: "GET",
  params: { id: "recording" },
  run: async ({ context, request, id, user, requestId }) => {
    const r = await recordingAudio(depsOf(context), { id, range: request.headers.get("Range") }, { user, requestId });
    if (!r.ok) return r;
    const headers = new Headers({
      "Accept-Ranges": "bytes",
      // Revalidated on every play (ETag): after a delete or a sign-out a shared computer's browser
      // cache must not keep serving it. Range requests still stream straight from R2.
      "Cache-Control": "private, no-cache",
      "Content-Type": r.contentType,
      ETag: r.etag,
    });
    if (r.range.kind === "partial") {
      headers.set("Content-Range", r.range.contentRange);
      headers.set("Content-Length", String(r.range.length));
      return new Response(r.body, { status: 206, headers });
    }
    headers.set("Content-Length", String(r.range.size));
    return new Response(r.body, { status: 200, headers });
  },
});

export const action = methodNotAllowed;
