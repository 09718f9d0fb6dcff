import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { parseInput } from "~/http/input.server";
import { seeOther } from "~/http/responses.server";
import { paths } from "~/lib/paths";
import { depsOf } from "~/models/deps.server";
import { openClip, type ClipResult } from "~/models/video/clip.server";
import { ClipQuery } from "~/models/video/inputs";
import { ownedPlayback } from "~/models/video/playback-access.server";
import { requestLanguage } from "~/i18n/i18n.server";

// GET /api/devices/:id/clip?start&end → the footage as an MP4 download, streamed from KVS GetClip.
// Owner only (anyone else: 404, before the query is read). Then the window (403), the 24 h cap
// (400), per-stream pacing (429) and KVS (502 clip_error with awsCode).
// `via=page` (the form on /account/devices/:id): refusals go back to that page instead of JSON,
// with what was typed (and `tz`, the zone the form's datetime-local values are in), so the download
// form works without JavaScript and shows exactly what was wrong.

/** A refused download from the device page's form, back to that form with the code (and the range). */
const backToPage = (deviceId: string, error: string, extra: Record<string, string> = {}) =>
  seeOther(`${paths.device(deviceId)}?${new URLSearchParams({ clip_error: error, ...extra })}#clip`);

function clipDownload(r: Extract<ClipResult, { ok: true }>): Response {
  const headers = new Headers({
    "Content-Type": "video/mp4",
    "Content-Disposition": `attachment; filename="${r.filename}"`,
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  });
  if (r.clip.contentLength !== null && Number.isFinite(r.clip.contentLength)) headers.set("Content-Length", String(r.clip.contentLength));
  // The KVS body is handed straight on: a clip can be 100 MB and is never held in memory.
  return new Response(r.clip.body, { status: 200, headers });
}

export const loader = apiRoute({
  method: "GET",
  params: { id: "device" },
  run: async ({ context, request, id, user, requestId }) => {
    const deps = depsOf(context);
    const actor = { user, requestId };
    const owned = await ownedPlayback(deps, id, actor);
    if (!owned.ok) return owned;

    const raw = Object.fromEntries(new URL(request.url).searchParams);
    const viaPage = raw.via === "page";
    // What was typed goes back to the form as it was (capped: the URL is anyone's to craft).
    const typed: Record<string, string> = {
      start: (raw.start ?? "").slice(0, 64),
      end: (raw.end ?? "").slice(0, 64),
      ...(raw.tz ? { tz: raw.tz.slice(0, 64) } : {}),
    };
    const q = parseInput(ClipQuery, raw, requestLanguage(request));
    if (!q.ok) return viaPage ? backToPage(id, "invalid_request", typed) : { ...q, sentence: "Some parameters are missing or invalid." };

    const r = await openClip(deps, owned.playback, q.value, actor);
    if (r.ok) return clipDownload(r);
    if (!viaPage) return r;
    return backToPage(id, r.error, r.error === "clip_error" ? { aws_code: r.awsCode, ...typed } : typed);
  },
});

export const action = methodNotAllowed;
