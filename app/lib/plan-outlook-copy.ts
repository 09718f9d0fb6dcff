/** A camera's one effective plan and what happens next, in words (app/domain/plan-outlook decides). Dates through Intl in the viewer's zone. */
import type { PlanOutlook } from "~/domain/plan-outlook";
import { CLOUD_TRIAL, LOCAL_PLAN } from "~/domain/plans";
import { formatDate } from "./format";

export interface PlanOutlookWords {
  /** The plan's name as a badge: "Standard", "Free trial", "Local". */
  plan: string;
  /** What happens next, continuing "<plan> — …". */
  next: string;
  /** A payment problem: the services page has the card update (the Billing Portal). */
  fixPayment: boolean;
}

const days = (n: number) => (n === 1 ? "1 day" : `${n} days`);

export function planOutlookWords(o: PlanOutlook, locale: string, zone: string): PlanOutlookWords {
  const d = (ms: number) => formatDate(ms, locale, zone);
  switch (o.kind) {
    case "local":
      return { plan: LOCAL_PLAN.name, next: "recordings stay on the camera; no cloud history.", fixPayment: false };
    case "trial": {
      const rest = `${days(o.daysLeft)} left, until ${d(o.endsAt)}; then no cloud history unless you choose a plan.`;
      return { plan: CLOUD_TRIAL.name, next: o.cancelledPlan ? `${o.cancelledPlan} was cancelled, the trial goes on: ${rest}` : rest, fixPayment: false };
    }
    case "trial_then_plan":
      return { plan: o.planName, next: `free until ${d(o.billingStartsAt)}, billing starts then.`, fixPayment: false };
    case "renews":
      return { plan: o.planName, next: o.renewsAt ? `renews on ${d(o.renewsAt)}.` : "active.", fixPayment: false };
    case "ends": {
      const after = o.then.kind === "trial" ? `back to the free trial until ${d(o.then.until)}` : "back to Local: no cloud history";
      return { plan: o.planName, next: `ends on ${d(o.endsAt)}${o.billed ? "" : " before its first charge"}, then ${after}.`, fixPayment: false };
    }
    case "payment_failed":
      return {
        plan: o.planName,
        next: o.retrying
          ? `payment failed; Stripe is retrying${o.accessUntil ? ` and the plan stays on until ${d(o.accessUntil)}` : ""}. Update your card to keep it.`
          : "payment failed and Stripe stopped retrying: no cloud history until you update your card.",
        fixPayment: true,
      };
  }
}
