import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { requireUser } from "~/lib/auth.server";
import { failureResponse, parseBody } from "~/lib/http.server";
import { openBillingPortal } from "~/models/billing.server";

export const PortalBody = z.object({
  // Our subscription id (as GET /api/devices/:id returns it) or the Stripe sub_… id.
  subscriptionId: z.string().trim().regex(/^[A-Za-z0-9_-]{8,64}$/).optional().or(z.literal("").transform(() => undefined)),
  flow: z.enum(["payment_method_update"]).optional().or(z.literal("").transform(() => undefined)),
});

// POST /api/billing/portal {subscriptionId?, flow?} → 303 to the Stripe Billing Portal.
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const body = await parseBody(request, PortalBody);
  const result = await openBillingPortal(context.cloudflare.env, body, { user, requestId: context.requestId });
  if (!result.ok) return failureResponse(result);
  return new Response(null, { status: 303, headers: { Location: result.url, "Cache-Control": "no-store" } });
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
