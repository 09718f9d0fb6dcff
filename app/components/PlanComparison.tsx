import { Link } from "@remix-run/react";
import type { ComparedPlan, ComparedPlanCode } from "~/domain/plan-comparison";
import { historyPhrase } from "~/domain/plan-comparison";
import { formatMoney, formatPrice } from "~/lib/format";
import { paths } from "~/lib/paths";

function Yes({ on }: { on: boolean }) {
  return on ? (
    <>
      <span aria-hidden="true" className="compare__yes">
        ✓
      </span>{" "}
      Included
    </>
  ) : (
    <span className="muted">Not included</span>
  );
}

/**
 * The cloud-recording plans compared (issue #16 §2): a real table on desktop, one card per plan at
 * 390 px (store.css), "Current plan" on the rows the customer's cameras are on and "Recommended".
 * `action`: where a row's button goes (the product page in the store, the checkout on the services page).
 */
export function PlanComparison({
  plans,
  current,
  locale,
  action,
  caption = "Cloud recording plans compared",
  captionHidden = false,
}: {
  plans: readonly ComparedPlan[];
  /** Compared-row code → labels of the customer's cameras on it; empty when signed out. */
  current: Partial<Record<ComparedPlanCode, string[]>>;
  locale: string;
  action: "product" | "services" | "none";
  caption?: string;
  /** The section's heading already says it: the caption is for screen readers only. */
  captionHidden?: boolean;
}) {
  const manyCameras = Object.values(current).reduce((n, l) => n + (l?.length ?? 0), 0) > 1;
  return (
    <table className="compare" data-testid="plan-comparison">
      <caption className={captionHidden ? "visually-hidden" : undefined}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Plan</th>
          <th scope="col">Cloud history</th>
          <th scope="col">AI summaries</th>
          <th scope="col">Smart search</th>
          <th scope="col">Price per month</th>
          {action !== "none" ? (
            <th scope="col">
              <span className="visually-hidden">Choose</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {plans.map((p) => {
          const cams = current[p.code] ?? [];
          const isCurrent = cams.length > 0;
          return (
            <tr
              key={p.code}
              data-plan={p.code}
              className={isCurrent ? "compare__row compare__row--current" : p.recommended ? "compare__row compare__row--recommended" : "compare__row"}
            >
              <th scope="row">
                <span className="compare__name">{p.name}</span>
                {isCurrent ? (
                  <span className="badge badge--ok compare__mark" data-testid="current-plan">
                    {manyCameras ? `Current plan: ${cams.join(", ")}` : "Current plan"}
                  </span>
                ) : null}
                {p.recommended ? (
                  <span className="badge compare__mark compare__mark--recommended" data-testid="recommended-plan">
                    Recommended
                  </span>
                ) : null}
                {p.freeForDays ? <span className="compare__note">{`${p.freeForDays} days free on every new camera, once`}</span> : null}
              </th>
              <td data-label="Cloud history">{historyPhrase(p.historyDays) ?? <span className="muted">None (microSD only)</span>}</td>
              <td data-label="AI summaries">
                <Yes on={p.aiSummaries} />
              </td>
              <td data-label="Smart search">
                <Yes on={p.smartSearch} />
              </td>
              <td data-label="Price per month">
                {p.freeForDays
                  ? `Free for ${p.freeForDays} days`
                  : p.priceCents === 0
                    ? formatPrice(0, p.currency, null, locale)
                    : formatMoney(p.priceCents, p.currency, locale)}
              </td>
              {action !== "none" ? (
                <td className="compare__action">
                  {p.purchasable && p.sku && !isCurrent ? (
                    <Link
                      className={p.recommended ? "button" : "button button--ghost"}
                      to={action === "services" ? `${paths.services}#choose-title` : paths.store(p.sku)}
                    >
                      {`Choose ${p.name}`}
                    </Link>
                  ) : null}
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
