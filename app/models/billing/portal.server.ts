/** Opening Stripe's Billing Portal, where customers change plans, cards and cancel (ADR 008). */
import { and, eq, or } from "drizzle-orm";
import { subscriptions, type Subscription } from "~/db/schema";
import { CLOUD_SUBSCRIPTION_SKUS, VOICE_SUBSCRIPTION_SKUS } from "~/domain/checkout-policy";
import { refuse, type Refusal } from "~/domain/result";
import { getConfig } from "~/lib/config.server";
import { paths } from "~/lib/paths";
import { getCheckoutStripe } from "~/lib/stripe.server";
import { recordAudit } from "../audit.server";
import type { Actor, Deps } from "../deps.server";
import { stripeCustomerOf } from "./customers.server";
import { appUrl, checkoutModeProblem, stripeProblem, type StripeProblem } from "./stripe-calls.server";

export type PortalResult = { ok: true; url: string } | Refusal<"not_found", { subject: "subscription" }> | Refusal<"no_billing_account"> | StripeProblem;

const isPortalSubscription = (row: Subscription) =>
  row.source === "stripe" && (CLOUD_SUBSCRIPTION_SKUS.includes(row.sku) || VOICE_SUBSCRIPTION_SKUS.includes(row.sku));

/**
 * POST /api/billing/portal {subscriptionId?, flow?}: the Stripe-hosted portal for the user's
 * customer. A given subscription must be this user's own Stripe cloud/voice subscription (by our
 * id or Stripe's); anything else is 404. Cancelling and refunds happen only in the portal.
 */
export async function openBillingPortal(
  deps: Deps,
  input: { subscriptionId?: string; flow?: "payment_method_update" },
  actor: Actor,
  // Where the portal's "Return to AOVIS" leads (an app path of ours, never user input).
  returnPath: string = paths.services,
): Promise<PortalResult> {
  const { env, db } = deps;
  const misconfigured = checkoutModeProblem(env, actor.requestId);
  if (misconfigured) return misconfigured;
  let customer: string | null = null;
  let subject: Subscription | null = null;
  if (input.subscriptionId) {
    const [row] = await db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, actor.user.id), or(eq(subscriptions.id, input.subscriptionId), eq(subscriptions.externalId, input.subscriptionId))))
      .limit(1);
    if (!row || !isPortalSubscription(row)) return refuse("not_found", { subject: "subscription" as const });
    subject = row;
    customer = row.stripeCustomerId;
  }
  customer ??= await stripeCustomerOf(deps, actor.user.id);
  if (!customer) return refuse("no_billing_account");
  // The deployment's portal configuration (e.g. cancel at period end, ADR 021); unset: the account default.
  const configuration = getConfig(env).STRIPE_PORTAL_CONFIGURATION_ID;
  try {
    const portal = await getCheckoutStripe(env).billingPortal.sessions.create({
      customer,
      ...(configuration ? { configuration } : {}),
      return_url: appUrl(env, returnPath),
      ...(input.flow === "payment_method_update" ? { flow_data: { type: "payment_method_update" as const } } : {}),
    });
    await recordAudit(db, {
      event: "billing_portal_opened",
      actorUserId: actor.user.id,
      deviceId: subject?.deviceId ?? null,
      subjectType: subject ? "subscription" : "customer",
      subjectId: subject?.externalId ?? customer,
      detail: { flow: input.flow ?? null },
      requestId: actor.requestId,
    });
    return { ok: true, url: portal.url };
  } catch (err) {
    return stripeProblem(err, "billing_portal", actor.requestId);
  }
}
