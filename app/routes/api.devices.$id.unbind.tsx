import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { unbindDevice } from "~/models/devices/unbind.server";

// POST /api/devices/:id/unbind → 200, 403 forbidden (not the owner), 409 active paid plan.
export const action = apiRoute({
  method: "POST",
  params: { id: "device" },
  run: async ({ context, id, user, requestId }) => {
    const r = await unbindDevice(depsOf(context), id, { user, requestId });
    return r.ok ? { ok: true, unbound: true, deviceId: id } : r;
  },
});

export const loader = methodNotAllowed;
