import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { requireUser } from "~/lib/auth.server";
import { failureResponse, parseBody } from "~/lib/http.server";
import { startProductCheckout } from "~/models/billing.server";

export const ProductCheckoutBody = z.object({
  sku: z.string().trim().regex(/^[a-z0-9-]{1,64}$/),
  quantity: z.coerce.number().int().min(1).max(10).default(1),
});

// POST /api/checkout/product {sku, quantity?} (form or JSON) → 303 to Stripe Checkout (payment,
// shipping address collected). The order row is written from the webhook / success page.
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const body = await parseBody(request, ProductCheckoutBody);
  const result = await startProductCheckout(context.cloudflare.env, body, { user, requestId: context.requestId });
  if (!result.ok) return failureResponse(result);
  return new Response(null, { status: 303, headers: { Location: result.url, "Cache-Control": "no-store" } });
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
