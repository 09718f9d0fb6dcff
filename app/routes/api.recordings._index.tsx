import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { ListQuery } from "~/models/voice/inputs";
import { listRecordings } from "~/models/voice/recordings.server";

// GET /api/recordings?page=1&limit=20&favoritesOnly=false&q=words → the caller's live recordings, newest
// first; `q` (at most RECORDING_SEARCH_MAX_CHARS) keeps those whose text or voice name contains it.
export const loader = apiRoute({
  method: "GET",
  query: ListQuery,
  run: async ({ context, query, user, requestId }) => ({ ok: true, ...(await listRecordings(depsOf(context), query, { user, requestId })) }),
});

export const action = methodNotAllowed;
