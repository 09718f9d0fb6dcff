import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { seeOther } from "~/http/responses.server";
import { startCloudCheckout } from "~/models/billing/checkout.server";
import { CloudCheckoutInput } from "~/models/billing/inputs";
import { depsOf } from "~/models/deps.server";

// POST /api/checkout/cloud-storage {deviceId, planCode} (form or JSON) → 303 to Stripe Checkout.
export const action = apiRoute({
  method: "POST",
  body: CloudCheckoutInput,
  run: async ({ context, body, user, requestId }) => {
    const r = await startCloudCheckout(depsOf(context), body, { user, requestId });
    return r.ok ? seeOther(r.url) : r;
  },
});

export const loader = methodNotAllowed;
