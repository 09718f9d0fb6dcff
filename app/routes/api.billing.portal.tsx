import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { seeOther } from "~/http/responses.server";
import { PortalInput } from "~/models/billing/inputs";
import { openBillingPortal } from "~/models/billing/portal.server";
import { depsOf } from "~/models/deps.server";

// POST /api/billing/portal {subscriptionId?, flow?} → 303 to the Stripe Billing Portal.
export const action = apiRoute({
  method: "POST",
  body: PortalInput,
  run: async ({ context, body, user, requestId }) => {
    const r = await openBillingPortal(depsOf(context), body, { user, requestId });
    return r.ok ? seeOther(r.url) : r;
  },
});

export const loader = methodNotAllowed;
