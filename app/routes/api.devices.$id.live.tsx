import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { seeOther } from "~/http/responses.server";
import { paths } from "~/lib/paths";
import { depsOf } from "~/models/deps.server";
import { liveViewer } from "~/models/video/live-view.server";
import { ownedPlayback } from "~/models/video/playback-access.server";

// GET /api/devices/:id/live → what a WebRTC viewer needs: signaling endpoints (role VIEWER), TURN
// servers and a presigned WSS connect URL. Owner only; not gated by the plan's history window.
// A browser opening this URL as a page (a bookmark, an old link, JavaScript off) is sent to the
// device page instead: TURN credentials are for the page's player, never printed as raw JSON.
export const loader = apiRoute({
  method: "GET",
  params: { id: "device" },
  run: async ({ context, request, id, user, requestId }) => {
    const deps = depsOf(context);
    const actor = { user, requestId };
    const owned = await ownedPlayback(deps, id, actor);
    if (!owned.ok) return owned;
    if (request.headers.get("Sec-Fetch-Mode") === "navigate") return seeOther(`${paths.device(id)}#live`);
    return liveViewer(deps, owned.playback, actor);
  },
});

export const action = methodNotAllowed;
