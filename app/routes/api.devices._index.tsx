import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { listMyDevices } from "~/models/devices/reads.server";

// GET /api/devices → the signed-in user's devices only.
export const loader = apiRoute({
  method: "GET",
  run: async ({ context, user }) => ({ ok: true, devices: await listMyDevices(depsOf(context), user.id) }),
});

export const action = methodNotAllowed;
