import { Link } from "@remix-run/react";
import { formatDate, formatMoney } from "~/lib/format";
import type { OrderView } from "~/models/billing/orders.server";

/** The customer's camera and SIM orders with their status and Stripe's receipt (issue #16 §6). */
export function OrdersTable({ orders, locale }: { orders: readonly OrderView[]; locale: string }) {
  return (
    <>
      {orders.length === 0 ? (
        <p className="muted" data-testid="no-orders">
          No camera or SIM orders yet. <Link to="/store">Visit the store</Link>.
        </p>
      ) : (
        <table className="orders-table" data-testid="orders">
          <caption className="visually-hidden">Your camera and SIM orders</caption>
          <thead>
            <tr>
              <th scope="col">Ordered</th>
              <th scope="col">Item</th>
              <th scope="col">Total</th>
              <th scope="col">Status</th>
              <th scope="col">Receipt</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id} data-testid="order" data-sku={o.sku}>
                <td>{formatDate(o.createdAt, locale)}</td>
                <th scope="row">{o.quantity > 1 ? `${o.quantity} × ${o.name}` : o.name}</th>
                <td>{formatMoney(o.amountTotal, o.currency, locale)}</td>
                <td>
                  <span className={o.status === "PAID" ? "badge badge--ok" : "badge"} data-testid="order-status">
                    {o.status === "PAID" ? "Paid" : "Awaiting payment"}
                  </span>
                </td>
                <td>
                  {o.receiptUrl ? (
                    <a href={o.receiptUrl} target="_blank" rel="noreferrer noopener" data-testid="receipt-link">
                      Receipt<span className="visually-hidden">{` for ${o.name}, ${formatDate(o.createdAt, locale)} (opens Stripe in a new tab)`}</span>
                    </a>
                  ) : (
                    <span className="muted">{o.status === "PAID" ? "Emailed by Stripe" : "After payment"}</span>
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
