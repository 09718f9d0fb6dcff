import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { activateDevice } from "~/models/devices/activation.server";
import { ActivateInput } from "~/models/devices/inputs";

// POST /api/devices/activate {serial, activationCode} → {device, trial}
export const action = apiRoute({
  method: "POST",
  body: ActivateInput,
  run: async ({ context, body, user, requestId }) => {
    const r = await activateDevice(depsOf(context), body, { user, requestId });
    return r.ok ? { ok: true, device: r.device, trial: r.trial } : r;
  },
});

export const loader = methodNotAllowed;
