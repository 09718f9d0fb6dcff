import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { deletePreset } from "~/models/voice/presets.server";

// DELETE /api/presets/:id → {deleted: true}; someone else's or unknown → 404.
export const action = apiRoute({
  method: "DELETE",
  params: { id: "preset" },
  run: async ({ context, id, user, requestId }) => {
    const r = await deletePreset(depsOf(context), id, { user, requestId });
    return r.ok ? { ok: true, deleted: true, id } : r;
  },
});

export const loader = methodNotAllowed;
