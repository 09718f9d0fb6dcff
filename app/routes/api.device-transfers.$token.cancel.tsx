import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { TRANSFER_TOKEN } from "~/models/devices/inputs";
import { cancelTransfer } from "~/models/devices/transfers.server";

// POST /api/device-transfers/:token/cancel → the sender withdraws the offer.
export const action = apiRoute({
  method: "POST",
  run: async ({ context, params, user, requestId }) => {
    const token = params.token ?? "";
    if (!TRANSFER_TOKEN.test(token)) return { ok: false, error: "transfer_not_found", asked: "cancel" };
    const r = await cancelTransfer(depsOf(context), { token }, { user, requestId });
    return r.ok ? { ok: true, cancelled: true } : r;
  },
});

export const loader = methodNotAllowed;
