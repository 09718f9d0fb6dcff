import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { parseInput } from "~/http/input.server";
import { depsOf } from "~/models/deps.server";
import { ThumbnailQuery } from "~/models/video/inputs";
import { ownedPlayback } from "~/models/video/playback-access.server";
import { thumbnailAt } from "~/models/video/thumbnails.server";
import { requestLanguage } from "~/i18n/i18n.server";

// GET /api/devices/:id/thumbnails?at → image/jpeg: the picture KVS GetImages has at that moment,
// for the owner only (anyone else: 404, before the query is read) and only inside their window
// (403). Nothing recorded then → 404 no_footage. A moment in the past never changes, so the
// browser may keep it (privately: it is this owner's footage) for a day.
export const loader = apiRoute({
  method: "GET",
  params: { id: "device" },
  run: async ({ context, request, id, user, requestId }) => {
    const deps = depsOf(context);
    const actor = { user, requestId };
    const owned = await ownedPlayback(deps, id, actor);
    if (!owned.ok) return owned;
    const q = parseInput(ThumbnailQuery, Object.fromEntries(new URL(request.url).searchParams), requestLanguage(request));
    if (!q.ok) return { ...q, sentence: "Give the moment (at) as an ISO-8601 time or Unix milliseconds." };
    const r = await thumbnailAt(deps, owned.playback, q.value, actor);
    if (!r.ok) return r;
    return new Response(r.jpeg, {
      status: 200,
      headers: {
        "Content-Type": "image/jpeg",
        "Content-Length": String(r.jpeg.byteLength),
        "Cache-Control": "private, max-age=86400",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
});

export const action = methodNotAllowed;
