import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { apiRoute } from "~/http/api-route.server";
import { withBodyCap } from "~/http/body.server";
import { depsOf } from "~/models/deps.server";
import { FavoriteInput } from "~/models/voice/inputs";
import { deleteRecording, getRecording, setFavorite } from "~/models/voice/recordings.server";

// GET /api/recordings/:id → {recording}. Someone else's id, a made-up one and an expired one are
// the same 404 on every method.
export const loader = apiRoute({
  method: "GET",
  params: { id: "recording" },
  run: ({ context, id, user, requestId }) => getRecording(depsOf(context), id, { user, requestId }),
});

// PATCH {favorite?: boolean} → sets it; an empty body toggles it.
const patch = apiRoute({
  method: "PATCH",
  params: { id: "recording" },
  body: FavoriteInput,
  run: ({ context, id, body, user, requestId }) => setFavorite(depsOf(context), { id, favorite: body.favorite }, { user, requestId }),
});

// DELETE → out of the list at once; POST …/restore undoes it within UNDO_DELETE_MINUTES, then the
// sweep removes the audio object and the row.
const remove = apiRoute({
  method: "DELETE",
  params: { id: "recording" },
  run: async ({ context, id, user, requestId }) => {
    const r = await deleteRecording(depsOf(context), id, { user, requestId });
    return r.ok ? { ok: true, deleted: true, id } : r;
  },
});

// Anything but PATCH goes to `remove`, which answers 405 for methods other than DELETE.
// Both cap their bodies (the same default), so the dispatcher carries that cap.
export const action = withBodyCap(
  (args: ActionFunctionArgs) => (args.request.method.toUpperCase() === "PATCH" ? patch(args) : remove(args)),
  Math.max(patch.maxBodyBytes, remove.maxBodyBytes),
);
