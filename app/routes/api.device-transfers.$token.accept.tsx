import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { TRANSFER_TOKEN } from "~/models/devices/inputs";
import { acceptTransfer } from "~/models/devices/transfers.server";

// POST /api/device-transfers/:token/accept → the signed-in recipient (email must match) becomes owner.
export const action = apiRoute({
  method: "POST",
  run: async ({ context, params, user, requestId }) => {
    const token = params.token ?? "";
    if (!TRANSFER_TOKEN.test(token)) return { ok: false, error: "transfer_not_found" };
    const r = await acceptTransfer(depsOf(context), { token }, { user, requestId });
    return r.ok ? { ok: true, accepted: true, deviceId: r.deviceId, simTransferred: r.simTransferred } : r;
  },
});

export const loader = methodNotAllowed;
