import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { methodNotAllowed } from "~/http/api-route.server";
import { jsonOk } from "~/http/responses.server";
import { VOICE_TIERS } from "~/domain/plans";
import { getConfig } from "~/lib/config.server";

// GET /api/stripe/products (public) → {plans: [{tier, name, priceId, price: {amount, currency,
// interval}, purchasable, features}]} for the voice studio. Prices from the catalogue
// (app/domain/plans.ts; `amount` in minor units, cents), `priceId` from the deployment's config
// (null for the free tier): no Stripe call. A client may send that priceId back to checkout.
export async function loader({ context }: LoaderFunctionArgs) {
  const prices = getConfig(context.cloudflare.env).stripePrices;
  return jsonOk(
    {
      plans: VOICE_TIERS.map((t) => ({
        tier: t.code,
        name: t.name,
        priceId: t.stripePriceKey ? (prices[t.stripePriceKey] ?? null) : null,
        price: { amount: t.priceCents, currency: t.currency, interval: t.interval },
        purchasable: t.stripePriceKey !== null,
        features: t.features,
      })),
    },
    { headers: { "Cache-Control": "public, max-age=300" } },
  );
}

export const action = methodNotAllowed;
