import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { redirectOrJson } from "~/http/responses.server";
import { startVoiceCheckout } from "~/models/billing/checkout.server";
import { VoiceCheckoutInput } from "~/models/billing/inputs";
import { depsOf } from "~/models/deps.server";

// POST /api/stripe/checkout {tier: BASIC|PREMIUM, priceId?} → 303 to Stripe Checkout for a form post,
// 200 {sessionUrl} for a JSON client (docs/api.md). A priceId only confirms the tier's price: the
// tier decides what is sold, a different price is 400 price_mismatch.
export const action = apiRoute({
  method: "POST",
  body: VoiceCheckoutInput,
  run: async ({ request, context, body, user, requestId }) => {
    const r = await startVoiceCheckout(depsOf(context), body, { user, requestId });
    return r.ok ? redirectOrJson(request, r.url, "sessionUrl") : r;
  },
});

export const loader = methodNotAllowed;
