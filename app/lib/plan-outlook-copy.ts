/** A camera's one effective plan and what happens next, in words (app/domain/plan-outlook decides), in the translator's language. Dates through Intl in the viewer's zone. */
import type { PlanOutlook } from "~/domain/plan-outlook";
import type { ServicesT } from "./billing-copy";
import { formatDate } from "./format";

export interface PlanOutlookWords {
  /** The plan's name as a badge: "Standard", "Free trial", "Local". */
  plan: string;
  /** What happens next, continuing "<plan> — …". */
  next: string;
  /** A payment problem: the services page has the card update (the Billing Portal). */
  fixPayment: boolean;
}

export function planOutlookWords(o: PlanOutlook, locale: string, zone: string, t: ServicesT): PlanOutlookWords {
  const d = (ms: number) => formatDate(ms, locale, zone);
  switch (o.kind) {
    case "local":
      return { plan: t("planName.local"), next: t("outlook.local"), fixPayment: false };
    case "trial": {
      const facts = { days: o.daysLeft, date: d(o.endsAt) };
      return {
        plan: t("planName.trial"),
        next: o.cancelledPlan ? t("outlook.trialAfterCancel", { plan: o.cancelledPlan, ...facts }) : t("outlook.trial", facts),
        fixPayment: false,
      };
    }
    case "trial_then_plan":
      return { plan: o.planName, next: t("outlook.trialThenPlan", { date: d(o.billingStartsAt) }), fixPayment: false };
    case "renews":
      return { plan: o.planName, next: o.renewsAt ? t("outlook.renews", { date: d(o.renewsAt) }) : t("outlook.active"), fixPayment: false };
    case "ends": {
      const date = d(o.endsAt);
      let next: string;
      if (o.then.kind === "trial") {
        const until = d(o.then.until);
        next = o.billed ? t("outlook.endsTrial", { date, until }) : t("outlook.endsUnbilledTrial", { date, until });
      } else next = o.billed ? t("outlook.endsLocal", { date }) : t("outlook.endsUnbilledLocal", { date });
      return { plan: o.planName, next, fixPayment: false };
    }
    case "payment_failed":
      return {
        plan: o.planName,
        next: !o.retrying ? t("outlook.stopped") : o.accessUntil ? t("outlook.retryingUntil", { date: d(o.accessUntil) }) : t("outlook.retrying"),
        fixPayment: true,
      };
  }
}
