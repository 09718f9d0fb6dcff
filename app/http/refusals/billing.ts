import type { SubscriptionKind } from "~/domain/checkout-policy";
import { CLOUD_PLANS, VOICE_TIERS } from "~/domain/plans";
import { defineRefusals } from "./spec";

// The free plan and tier by their catalogue names ("The Local plan", "Voice Free").
const FREE_CLOUD_PLAN = CLOUD_PLANS.find((p) => !p.purchasable)?.name ?? "free";
const FREE_VOICE_TIER = VOICE_TIERS.find((t) => !t.stripePriceKey)?.name ?? "The free tier";

/** Refusal codes of the billing area: checkout, portal, the success page, the Stripe webhook (see ../refusals.ts). */
export const BILLING_REFUSALS = defineRefusals({
  plan_not_purchasable: {
    status: 400,
    message: (r: { kind: SubscriptionKind }) =>
      r.kind === "voice"
        ? `That voice tier can't be bought. ${FREE_VOICE_TIER} needs no subscription.`
        : `That plan can't be bought. The ${FREE_CLOUD_PLAN} plan is free and needs no subscription.`,
  },
  price_mismatch: {
    status: 400,
    message: "That price is not the price of the chosen tier. Send the tier alone, or its price from GET /api/stripe/products.",
    expose: ["tier"],
  },
  product_not_purchasable: { status: 400, message: "Plans are bought from Account › Services, for a camera." },
  already_subscribed_use_billing_portal: {
    status: 409,
    message: (r: { kind: SubscriptionKind }) =>
      r.kind === "voice"
        ? "You already have a voice subscription. Change your tier in the billing portal."
        : "This camera already has a paid plan. Change or cancel it in the billing portal.",
    expose: ["billingPortalUrl"],
  },
  no_billing_account: { status: 404, message: "You have no paid services yet, so there is nothing to manage." },
  stripe_misconfigured: { status: 503, message: "Payments are switched off while we fix a configuration problem. Please try again later." },
  payment_provider_error: { status: 502, message: "Our payment provider could not be reached. Please try again in a moment." },
  not_confirmed: { status: 500, message: "We couldn't record your purchase just now." },
  missing_signature: { status: 400, message: "The Stripe-Signature header is missing." },
  invalid_signature: { status: 400, message: "The webhook signature is invalid or too old." },
  invalid_payload: { status: 400, message: "The webhook body is signed but is not a Stripe event." },
  processing_failed: { status: 500, message: "The event could not be processed; Stripe will retry it.", expose: ["eventId"] },
});
