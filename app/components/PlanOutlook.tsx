import { Link } from "@remix-run/react";
import type { PlanOutlook } from "~/domain/plan-outlook";
import { useT } from "~/i18n/react";
import type { ServicesT } from "~/lib/billing-copy";
import { paths } from "~/lib/paths";
import { formatDate } from "~/lib/format";
import { planOutlookWords } from "~/lib/plan-outlook-copy";

/** "Standard — free until 3 Jan, billing starts then.": the camera's one plan and what comes next (device list and device page). */
export function PlanOutlookLine({ outlook, locale, zone }: { outlook: PlanOutlook; locale: string; zone: string }) {
  const t = useT("services");
  const w = planOutlookWords(outlook, locale, zone, t);
  return (
    <p className="plan-outlook" data-testid="plan-outlook" data-kind={outlook.kind}>
      <span className={outlook.kind === "payment_failed" ? "badge badge--warn" : "badge"}>{w.plan}</span> — {w.next}
      {w.fixPayment ? (
        <>
          {" "}
          <Link to={paths.services}>{t("outlook.fixPayment")}</Link>
        </>
      ) : null}
    </p>
  );
}

interface Step {
  at: number | null;
  label: string;
}

/** The outlook's dates in order, from today: what the small timeline draws (empty when nothing is coming). */
export function planSteps(o: PlanOutlook, t: ServicesT): Step[] {
  const today: Step = { at: null, label: t("steps.today") };
  switch (o.kind) {
    case "local":
      return [];
    case "trial":
      return []; // the trial's picture is its days-left meter (TrialMeter)
    case "trial_then_plan":
      return [today, { at: o.billingStartsAt, label: t("steps.billingStarts", { plan: o.planName }) }];
    case "renews":
      return o.renewsAt ? [today, { at: o.renewsAt, label: t("steps.renews", { plan: o.planName }) }] : [];
    case "ends":
      return [
        today,
        { at: o.endsAt, label: t("steps.ends", { plan: o.planName }) },
        ...(o.then.kind === "trial" ? [{ at: o.then.until, label: t("steps.trialEnds") }] : []),
      ];
    case "payment_failed":
      return o.accessUntil ? [today, { at: o.accessUntil, label: t("steps.stops") }] : [];
  }
}

/** "Today ── Standard renews 3 Jan": the same facts as the line above, drawn (an ordered list, so it reads in order). */
export function PlanTimeline({ outlook, locale, zone }: { outlook: PlanOutlook; locale: string; zone: string }) {
  const t = useT("services");
  const steps = planSteps(outlook, t);
  if (steps.length === 0) return null;
  return (
    <ol className="plan-steps" aria-label={t("steps.label")} data-testid="plan-steps">
      {steps.map((s, i) => (
        <li key={i} className={s.at === null ? "plan-steps__now" : undefined}>
          <span className="plan-steps__dot" aria-hidden="true" />
          <span className="plan-steps__label">{s.label}</span>{" "}
          {s.at !== null ? <time dateTime={new Date(s.at).toISOString()}>{formatDate(s.at, locale, zone)}</time> : null}
        </li>
      ))}
    </ol>
  );
}
