import { Link } from "@remix-run/react";
import { useT } from "~/i18n/react";
import { formatDate, formatMoney } from "~/lib/format";
import type { OrderView } from "~/models/billing/orders.server";

/** The customer's camera and SIM orders with their status and Stripe's receipt (issue #16 §6). */
export function OrdersTable({ orders, locale }: { orders: readonly OrderView[]; locale: string }) {
  const t = useT("services");
  return (
    <>
      {orders.length === 0 ? (
        <p className="muted" data-testid="no-orders">
          {t.rich("orders.empty", { link: (c) => <Link to="/store">{c}</Link> })}
        </p>
      ) : (
        <table className="orders-table" data-testid="orders">
          <caption className="visually-hidden">{t("orders.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("orders.ordered")}</th>
              <th scope="col">{t("orders.item")}</th>
              <th scope="col">{t("orders.total")}</th>
              <th scope="col">{t("orders.status")}</th>
              <th scope="col">{t("orders.receipt")}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id} data-testid="order" data-sku={o.sku}>
                <td>{formatDate(o.createdAt, locale)}</td>
                <th scope="row">{o.quantity > 1 ? t("orders.quantity", { quantity: o.quantity, name: o.name }) : o.name}</th>
                <td>{formatMoney(o.amountTotal, o.currency, locale)}</td>
                <td>
                  <span className={o.status === "PAID" ? "badge badge--ok" : "badge"} data-testid="order-status">
                    {o.status === "PAID" ? t("orders.paid") : t("orders.awaiting")}
                  </span>
                </td>
                <td>
                  {o.receiptUrl ? (
                    <a href={o.receiptUrl} target="_blank" rel="noreferrer noopener" data-testid="receipt-link">
                      {t("orders.receipt")}
                      <span className="visually-hidden">{t("orders.receiptFor", { name: o.name, date: formatDate(o.createdAt, locale) })}</span>
                    </a>
                  ) : (
                    <span className="muted">{o.status === "PAID" ? t("orders.emailed") : t("orders.afterPayment")}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
