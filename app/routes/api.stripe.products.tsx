import { methodNotAllowed } from "~/http/api-route.server";
import { jsonOk } from "~/http/responses.server";
import { VOICE_TIERS } from "~/domain/plans";

// GET /api/stripe/products (public) → {plans: [{tier, name, price: {amount, currency, interval}, features}]}
// for the voice studio. From the catalogue (app/domain/plans.ts), so it needs no Stripe call.
export async function loader() {
  return jsonOk(
    {
      plans: VOICE_TIERS.map((t) => ({
        tier: t.code,
        name: t.name,
        price: { amount: t.priceCents, currency: t.currency, interval: t.interval },
        purchasable: t.stripePriceKey !== null,
        features: t.features,
      })),
    },
    { headers: { "Cache-Control": "public, max-age=300" } },
  );
}

export const action = methodNotAllowed;
