import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { clientIp } from "~/lib/client-ip.server";
import { depsOf } from "~/models/deps.server";
import { activateDevice } from "~/models/devices/activation.server";
import { ActivateInput } from "~/models/devices/inputs";

// POST /api/devices/activate {serial, activationCode} → {device, trial}
export const action = apiRoute({
  method: "POST",
  body: ActivateInput,
  run: async ({ context, request, body, user, requestId }) => {
    const r = await activateDevice(depsOf(context), body, { user, requestId, clientIp: clientIp(request) });
    return r.ok ? { ok: true, device: r.device, trial: r.trial } : r;
  },
});

export const loader = methodNotAllowed;
