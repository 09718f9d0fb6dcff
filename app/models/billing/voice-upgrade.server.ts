/**
 * "Upgrade" from the voice studio. A customer without a voice subscription buys the tier through
 * Checkout; one who already pays for a tier changes it in the Billing Portal (ADR 008: one voice
 * subscription per customer, tier changes prorated by Stripe), so the button never dead-ends in
 * "already subscribed".
 */
import { paths } from "~/lib/paths";
import type { Actor, Deps } from "../deps.server";
import { startVoiceCheckout, type VoiceCheckoutResult } from "./checkout.server";
import { openBillingPortal, type PortalResult } from "./portal.server";
import { liveVoiceSubscriptions } from "./reads.server";

export type VoiceUpgradeResult = VoiceCheckoutResult | PortalResult;

/** `returnPath`: where the portal's way back leads (Checkout's cancel goes to the services page, which says so). */
export async function startVoiceUpgrade(deps: Deps, input: { tier: string }, actor: Actor, returnPath: string = paths.services): Promise<VoiceUpgradeResult> {
  const [held] = await liveVoiceSubscriptions(deps, actor.user.id);
  if (held) return openBillingPortal(deps, { subscriptionId: held.id }, actor, returnPath);
  return startVoiceCheckout(deps, input, actor);
}
