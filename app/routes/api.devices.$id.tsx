import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { describeDevice, getOwnedDevice } from "~/models/devices/reads.server";

// GET /api/devices/:id → the device if it is the caller's; anything else (someone else's, an
// ownership id, a made-up id) is 404, so ids reveal nothing.
export const loader = apiRoute({
  method: "GET",
  params: { id: "device" },
  run: async ({ context, id, user }) => {
    const deps = depsOf(context);
    const owned = await getOwnedDevice(deps, id, user.id);
    if (!owned) return { ok: false, error: "not_found", subject: "device" };
    return { ok: true, device: await describeDevice(deps, owned.device, owned.ownership) };
  },
});

export const action = methodNotAllowed;
