/** What the services page says about a plan, in words derived from the rules (ADR 017, ADR 018). Dates through Intl. */
import { formatDate } from "./format";

/** What happens next to the one plan a camera is on (ADR 018: never a silent fallback to the trial). */
export function renewalText(
  plan: {
    source: string;
    status: string;
    currentPeriodEnd: number | null;
    cancelAtPeriodEnd: boolean;
    cancelAt: number | null;
    stripeStatus?: string | null;
    cancelledPlan?: { name: string } | null;
  },
  locale: string,
): string {
  if (plan.source === "none") return "—";
  if (plan.source === "trial") {
    const ends = plan.currentPeriodEnd ? `Trial ends on ${formatDate(plan.currentPeriodEnd, locale)}` : "";
    if (!plan.cancelledPlan) return ends || "—";
    return `${plan.cancelledPlan.name} was cancelled. ${ends}${ends ? ", then" : "Then"} no cloud history unless you choose a plan.`;
  }
  if (plan.status === "INACTIVE") return "Renewal payment failed";
  const cancelAt = plan.cancelAt ?? (plan.cancelAtPeriodEnd ? plan.currentPeriodEnd : null);
  if (cancelAt) return `Cancels on ${formatDate(cancelAt, locale)}`;
  if (plan.stripeStatus === "trialing" && plan.currentPeriodEnd) return `Free until ${formatDate(plan.currentPeriodEnd, locale)}; billing starts then`;
  return plan.currentPeriodEnd ? `Renews on ${formatDate(plan.currentPeriodEnd, locale)}` : "—";
}

/** The grace policy in words (ADR 017): Stripe's next retry, what the card keeps, and until when. */
export function paymentProblemText(
  p: { retrying: boolean; retryAt: number | null; graceEndsAt: number | null; historyDays: number | null; name: string },
  locale: string,
): string {
  const keep = p.historyDays ? `${p.historyDays} days of history` : p.name;
  if (!p.retrying) return `Payment failed — we've stopped retrying and ${p.name} is paused. Update your card to get ${keep} back.`;
  const retry = p.retryAt ? `we'll try again on ${formatDate(p.retryAt, locale)}` : "we'll try again soon";
  const until = p.graceEndsAt ? ` Your plan stays on until ${formatDate(p.graceEndsAt, locale)}.` : "";
  return `Payment failed — ${retry}; update your card to keep ${keep}.${until}`;
}
