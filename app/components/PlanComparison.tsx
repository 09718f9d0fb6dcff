import { Link } from "@remix-run/react";
import type { ComparedPlan, ComparedPlanCode } from "~/domain/plan-comparison";
import { useT } from "~/i18n/react";
import { planDisplayName } from "~/lib/billing-copy";
import { formatList, formatMoney, formatPrice } from "~/lib/format";
import { paths } from "~/lib/paths";

function Yes({ on }: { on: boolean }) {
  const t = useT("services");
  return on ? (
    <>
      <span aria-hidden="true" className="compare__yes">
        ✓
      </span>{" "}
      {t("compare.included")}
    </>
  ) : (
    <span className="muted">{t("compare.notIncluded")}</span>
  );
}

/**
 * The cloud-recording plans compared (issue #16 §2): a real table on desktop, one card per plan at
 * 390 px (store.css), "Current plan" on the rows the customer's cameras are on and "Recommended".
 * `action`: where a row's button goes (the product page in the store, the checkout on the services page).
 * Words in the served language ("services" catalogue); plan names stay names, Local and the trial are words.
 */
export function PlanComparison({
  plans,
  current,
  locale,
  action,
  caption,
  captionHidden = false,
}: {
  plans: readonly ComparedPlan[];
  /** Compared-row code → labels of the customer's cameras on it; empty when signed out. */
  current: Partial<Record<ComparedPlanCode, string[]>>;
  locale: string;
  action: "product" | "services" | "none";
  /** Defaults to "Cloud recording plans compared" in the served language. */
  caption?: string;
  /** The section's heading already says it: the caption is for screen readers only. */
  captionHidden?: boolean;
}) {
  const t = useT("services");
  const manyCameras = Object.values(current).reduce((n, l) => n + (l?.length ?? 0), 0) > 1;
  return (
    <table className="compare" data-testid="plan-comparison">
      <caption className={captionHidden ? "visually-hidden" : undefined}>{caption ?? t("compare.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("compare.plan")}</th>
          <th scope="col">{t("compare.history")}</th>
          <th scope="col">{t("compare.ai")}</th>
          <th scope="col">{t("compare.search")}</th>
          <th scope="col">{t("compare.price")}</th>
          {action !== "none" ? (
            <th scope="col">
              <span className="visually-hidden">{t("compare.choose")}</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {plans.map((p) => {
          const cams = current[p.code] ?? [];
          const isCurrent = cams.length > 0;
          const name = planDisplayName(p, t);
          return (
            <tr
              key={p.code}
              data-plan={p.code}
              className={isCurrent ? "compare__row compare__row--current" : p.recommended ? "compare__row compare__row--recommended" : "compare__row"}
            >
              <th scope="row">
                <span className="compare__name">{name}</span>
                {isCurrent ? (
                  <span className="badge badge--ok compare__mark" data-testid="current-plan">
                    {manyCameras ? t("compare.currentCameras", { cameras: formatList(cams, locale) }) : t("compare.current")}
                  </span>
                ) : null}
                {p.recommended ? (
                  <span className="badge compare__mark compare__mark--recommended" data-testid="recommended-plan">
                    {t("compare.recommended")}
                  </span>
                ) : null}
                {p.freeForDays ? <span className="compare__note">{t("compare.trialNote", { days: p.freeForDays })}</span> : null}
              </th>
              <td data-label={t("compare.history")}>
                {p.historyDays <= 0 ? (
                  <span className="muted">{t("compare.noHistory")}</span>
                ) : p.historyDays === 1 ? (
                  t("compare.hours24")
                ) : (
                  t("compare.days", { days: p.historyDays })
                )}
              </td>
              <td data-label={t("compare.ai")}>
                <Yes on={p.aiSummaries} />
              </td>
              <td data-label={t("compare.search")}>
                <Yes on={p.smartSearch} />
              </td>
              <td data-label={t("compare.price")}>
                {p.freeForDays
                  ? t("compare.freeFor", { days: p.freeForDays })
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
                      {t("choose.button", { plan: name })}
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
