import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { redirectOrJson } from "~/http/responses.server";
import { PortalInput } from "~/models/billing/inputs";
import { openBillingPortal } from "~/models/billing/portal.server";
import { depsOf } from "~/models/deps.server";

// POST /api/billing/portal {subscriptionId?, flow?} → 303 to the Stripe Billing Portal for a form
// post, 200 {portalUrl} for a JSON client (docs/api.md).
export const action = apiRoute({
  method: "POST",
  body: PortalInput,
  run: async ({ request, context, body, user, requestId }) => {
    const r = await openBillingPortal(depsOf(context), body, { user, requestId });
    return r.ok ? redirectOrJson(request, r.url, "portalUrl") : r;
  },
});

export const loader = methodNotAllowed;
