import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { parseInput } from "~/http/input.server";
import { depsOf } from "~/models/deps.server";
import { TimelineQuery } from "~/models/video/inputs";
import { ownedPlayback } from "~/models/video/playback-access.server";
import { deviceTimeline } from "~/models/video/timeline.server";
import { requestLanguage } from "~/i18n/i18n.server";

// GET /api/devices/:id/timeline?start&end → {window, range, covered, complete, next, spans, locked,
// thumbnails, clipPartSeconds}: the recorded spans of the range from KVS ListFragments (finished
// hours cached in D1), clipped to the owner's window, newest part first; `next` is the range to ask
// for next while `complete` is false (ADR 014). Owner only (anyone else: 404, before the query is
// read). Unparseable times → 400 invalid_request, reversed → 400 invalid_range, longer than 31
// days → 400 timeline_range_too_long, no cloud plan → 403, KVS failing → 502 timeline_error.
export const loader = apiRoute({
  method: "GET",
  params: { id: "device" },
  run: async ({ context, request, id, user, requestId }) => {
    const deps = depsOf(context);
    const actor = { user, requestId };
    const owned = await ownedPlayback(deps, id, actor);
    if (!owned.ok) return owned;
    const q = parseInput(TimelineQuery, Object.fromEntries(new URL(request.url).searchParams), requestLanguage(request));
    if (!q.ok) return { ...q, sentence: "Give start and end as ISO-8601 times or Unix milliseconds." };
    return deviceTimeline(deps, owned.playback, q.value, actor);
  },
});

export const action = methodNotAllowed;
