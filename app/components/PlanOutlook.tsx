import { Link } from "@remix-run/react";
import type { PlanOutlook } from "~/domain/plan-outlook";
import { paths } from "~/lib/paths";
import { planOutlookWords } from "~/lib/plan-outlook-copy";

/** "Standard — free until 3 Jan, billing starts then.": the camera's one plan and what comes next (device list and device page). */
export function PlanOutlookLine({ outlook, locale, zone }: { outlook: PlanOutlook; locale: string; zone: string }) {
  const w = planOutlookWords(outlook, locale, zone);
  return (
    <p className="plan-outlook" data-testid="plan-outlook" data-kind={outlook.kind}>
      <span className={outlook.kind === "payment_failed" ? "badge badge--warn" : "badge"}>{w.plan}</span> — {w.next}
      {w.fixPayment ? (
        <>
          {" "}
          <Link to={paths.services}>Update your card</Link>
        </>
      ) : null}
    </p>
  );
}
