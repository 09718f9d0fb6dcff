import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { EventSearchQuery } from "~/models/events/inputs";
import { searchEvents } from "~/models/events/search.server";

// GET /api/events/search?q=…[&deviceId=…][&cursor=…] → { results: [{ eventId, deviceId, deviceName,
// at, type, description, thumbnailUrl, playUrl }], nextCursor, query, searchable, empty }, newest
// first, only inside each camera's window (ADR 015). No deviceId: every camera of the caller with
// Smart search. Bad q/cursor → 400; someone else's deviceId → 404; no Smart search → 403.
export const loader = apiRoute({
  method: "GET",
  query: EventSearchQuery,
  run: ({ context, query, user, requestId }) => searchEvents(depsOf(context), query, { user, requestId }),
});

export const action = methodNotAllowed;
