// POST /api/stripe/portal {subscriptionId?, flow?}: the voice studio's name for the Billing Portal
// redirect; the same route as /api/billing/portal.
export { action, loader } from "./api.billing.portal";
