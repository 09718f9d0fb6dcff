import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { handleStripeWebhook } from "~/models/billing.server";

// POST /api/stripe/webhook: Stripe's signed event deliveries (ADR 001: a route of the same Worker;
// ADR 008: how events converge). Exempt from the CSRF origin check; the signature authenticates.
export async function action({ request, context }: ActionFunctionArgs) {
  return handleStripeWebhook(request, context.cloudflare.env, context.requestId);
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
