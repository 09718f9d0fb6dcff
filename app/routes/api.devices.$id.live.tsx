import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { liveViewer } from "~/models/video/live-view.server";
import { ownedPlayback } from "~/models/video/playback-access.server";

// GET /api/devices/:id/live → what a WebRTC viewer needs: signaling endpoints (role VIEWER), TURN
// servers and a presigned WSS connect URL. Owner only; not gated by the plan's history window.
export const loader = apiRoute({
  method: "GET",
  params: { id: "device" },
  run: async ({ context, id, user, requestId }) => {
    const deps = depsOf(context);
    const actor = { user, requestId };
    const owned = await ownedPlayback(deps, id, actor);
    if (!owned.ok) return owned;
    return liveViewer(deps, owned.playback, actor);
  },
});

export const action = methodNotAllowed;
