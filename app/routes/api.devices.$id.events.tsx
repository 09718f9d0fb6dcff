import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { DeviceEventsQuery } from "~/models/events/inputs";
import { deviceEvents } from "~/models/events/timeline.server";

// GET /api/devices/:id/events?start&end → { events: [{ eventId, at, type, confidence, description,
// thumbnailUrl, playUrl }], window, range, truncated }: the timeline's markers, oldest first, only
// inside the owner's window (the rest of the range has none). Owner only (404); a camera without
// cloud history → 403 no_cloud_entitlement; start ≥ end or a future end → 400 invalid_range.
export const loader = apiRoute({
  method: "GET",
  params: { id: "device" },
  query: DeviceEventsQuery,
  run: ({ context, id, query, user, requestId }) => deviceEvents(depsOf(context), id, query, { user, requestId }),
});

export const action = methodNotAllowed;
