import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { requireUser } from "~/lib/auth.server";
import { failureResponse, parseBody } from "~/lib/http.server";
import { startCloudCheckout } from "~/models/billing.server";

export const CloudCheckoutBody = z.object({
  deviceId: z.string().trim().min(1).max(64),
  planCode: z.enum(["local", "starter", "standard", "premium"]),
});

// POST /api/checkout/cloud-storage {deviceId, planCode} (form or JSON) → 303 to Stripe Checkout.
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const body = await parseBody(request, CloudCheckoutBody);
  const result = await startCloudCheckout(context.cloudflare.env, body, { user, requestId: context.requestId });
  if (!result.ok) return failureResponse(result);
  return new Response(null, { status: 303, headers: { Location: result.url, "Cache-Control": "no-store" } });
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
