import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { restoreRecording } from "~/models/voice/recordings.server";

// POST /api/recordings/:id/restore → {recording}: undoes a DELETE within UNDO_DELETE_MINUTES. Someone
// else's id, a live one, a purged one and one past the window are the same 404.
export const action = apiRoute({
  method: "POST",
  params: { id: "recording" },
  run: ({ context, id, user, requestId }) => restoreRecording(depsOf(context), id, { user, requestId }),
});

export const loader = methodNotAllowed;
