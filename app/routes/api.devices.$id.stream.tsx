import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { parseInput } from "~/http/input.server";
import { depsOf } from "~/models/deps.server";
import { hlsSession } from "~/models/video/hls-session.server";
import { StreamQuery } from "~/models/video/inputs";
import { ownedPlayback } from "~/models/video/playback-access.server";
import { requestLanguage } from "~/i18n/i18n.server";

// GET /api/devices/:id/stream?start&end → an HLS session URL (ON_DEMAND) for footage inside the
// entitlement window. GET /api/devices/:id/stream?mode=live → a LIVE HLS URL: live view is part
// of owning the camera, so it is not gated by the plan's window (still owner only; anyone else
// gets 404 before the query is read).
export const loader = apiRoute({
  method: "GET",
  params: { id: "device" },
  run: async ({ context, request, id, user, requestId }) => {
    const deps = depsOf(context);
    const actor = { user, requestId };
    const owned = await ownedPlayback(deps, id, actor);
    if (!owned.ok) return owned;
    const raw = Object.fromEntries(new URL(request.url).searchParams);
    const q = parseInput(StreamQuery, { ...raw, mode: raw.mode ?? "on_demand" }, requestLanguage(request));
    if (!q.ok) return { ...q, sentence: "Some parameters are missing or invalid." };
    return hlsSession(deps, owned.playback, q.value, actor);
  },
});

export const action = methodNotAllowed;
