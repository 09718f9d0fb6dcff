import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { requireUser } from "~/lib/auth.server";
import { failureResponse, parseBody } from "~/lib/http.server";
import { startVoiceCheckout } from "~/models/billing.server";

export const VoiceCheckoutBody = z.object({ tier: z.enum(["FREE", "BASIC", "PREMIUM"]) });

// POST /api/stripe/checkout {tier: BASIC|PREMIUM} (form or JSON) → 303 to Stripe Checkout.
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const body = await parseBody(request, VoiceCheckoutBody);
  const result = await startVoiceCheckout(context.cloudflare.env, body, { user, requestId: context.requestId });
  if (!result.ok) return failureResponse(result);
  return new Response(null, { status: 303, headers: { Location: result.url, "Cache-Control": "no-store" } });
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
