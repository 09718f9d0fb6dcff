import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { eventSnapshot } from "~/models/events/timeline.server";

// GET /api/events/:id/thumbnail → the event's snapshot (image/jpeg) from R2, for the camera's
// current owner when the event lies inside their window; anyone else, or no picture: 404.
export const loader = apiRoute({
  method: "GET",
  params: { id: "event" },
  run: async ({ context, id, user, requestId }) => {
    const r = await eventSnapshot(depsOf(context), id, { user, requestId });
    if (!r.ok) return r;
    return new Response(r.object.body, {
      headers: {
        "Content-Type": "image/jpeg",
        // The picture of an event never changes; only its owner may see it.
        "Cache-Control": "private, max-age=3600",
        "X-Content-Type-Options": "nosniff",
        ETag: r.object.httpEtag,
      },
    });
  },
});

export const action = methodNotAllowed;
