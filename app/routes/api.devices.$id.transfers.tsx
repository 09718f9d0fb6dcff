import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { getConfig } from "~/lib/config.server";
import { depsOf } from "~/models/deps.server";
import { TransferOfferInput } from "~/models/devices/inputs";
import { offerTransfer } from "~/models/devices/transfers.server";

// POST /api/devices/:id/transfers {toEmail, includeSim} → an offer with a one-time token (72 h).
export const action = apiRoute({
  method: "POST",
  params: { id: "device" },
  body: TransferOfferInput,
  okStatus: 201,
  run: async ({ context, env, id, body, user, requestId }) => {
    const r = await offerTransfer(depsOf(context), id, body, { user, requestId });
    if (!r.ok) return r;
    const origin = new URL(getConfig(env).APP_ORIGIN).origin;
    return { ok: true, transfer: r.transfer, token: r.token, acceptUrl: `${origin}/account/devices?transfer=${encodeURIComponent(r.token)}` };
  },
});

export const loader = methodNotAllowed;
