import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { seeOther } from "~/http/responses.server";
import { startProductCheckout } from "~/models/billing/checkout.server";
import { ProductCheckoutInput } from "~/models/billing/inputs";
import { depsOf } from "~/models/deps.server";

// POST /api/checkout/product {sku, quantity?} (form or JSON) → 303 to Stripe Checkout (payment,
// shipping address collected). The order row is written from the webhook / success page.
export const action = apiRoute({
  method: "POST",
  body: ProductCheckoutInput,
  run: async ({ context, body, user, requestId }) => {
    const r = await startProductCheckout(depsOf(context), body, { user, requestId });
    return r.ok ? seeOther(r.url) : r;
  },
});

export const loader = methodNotAllowed;
