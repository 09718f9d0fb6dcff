import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { seeOther } from "~/http/responses.server";
import { startVoiceCheckout } from "~/models/billing/checkout.server";
import { VoiceCheckoutInput } from "~/models/billing/inputs";
import { depsOf } from "~/models/deps.server";

// POST /api/stripe/checkout {tier: BASIC|PREMIUM} (form or JSON) → 303 to Stripe Checkout.
export const action = apiRoute({
  method: "POST",
  body: VoiceCheckoutInput,
  run: async ({ context, body, user, requestId }) => {
    const r = await startVoiceCheckout(depsOf(context), body, { user, requestId });
    return r.ok ? seeOther(r.url) : r;
  },
});

export const loader = methodNotAllowed;
