/** Hardware and SIM orders: what a completed payment-mode Checkout Session records. */
import { sql } from "drizzle-orm";
import type { Stmt } from "~/db/d1.server";
import { orders, type Order } from "~/db/schema";
import { CHECKOUT_TYPES } from "~/domain/checkout-policy";
import { productBySku } from "~/domain/plans";
import { refuse, type Refusal } from "~/domain/result";
import type { Stripe } from "~/lib/stripe.server";
import { auditInsert } from "../audit.server";
import type { Deps } from "../deps.server";
import { duplicate, eventRow, recordIgnored, runEventBatch, type ApplySource, type Duplicate, type Ignored } from "./event-record.server";

export type OrderRecorded = { ok: true; outcome: "order_recorded"; orderStatus: Order["status"]; sku: string };

/** A completed product checkout without the metadata we put on it: nothing is written, Stripe retries. */
export type OrderRefusal = Refusal<"order_metadata_missing", { sessionId: string }>;

export type OrderResult = OrderRecorded | Ignored | Duplicate | OrderRefusal;

const idOf = (ref: string | { id: string } | null | undefined): string | null => (typeof ref === "string" ? ref : (ref?.id ?? null));

/**
 * Records (upserts) the order of a completed payment-mode Checkout Session, re-read from Stripe.
 * Unique per session; a PAID order never goes back to pending.
 */
export async function recordOrder({ db }: Deps, session: Stripe.Checkout.Session, source: ApplySource, now = Date.now()): Promise<OrderResult> {
  const md = session.metadata ?? {};
  if (session.mode !== "payment" || md.checkoutType !== CHECKOUT_TYPES.product) return recordIgnored(db, source, "not_a_product_checkout", session.id, now);
  if (session.status !== "complete") return recordIgnored(db, source, `session_${session.status ?? "unknown"}`, session.id, now);
  const product = md.sku ? productBySku(md.sku) : undefined;
  if (!md.userId || !product) return refuse("order_metadata_missing", { sessionId: session.id });
  const paid = session.payment_status === "paid" || session.payment_status === "no_payment_required";
  const status: Order["status"] = paid ? "PAID" : "PENDING_PAYMENT";
  const shipping = session.collected_information?.shipping_details ?? null;
  const values = {
    userId: md.userId,
    sku: product.sku,
    quantity: Math.max(1, Number.parseInt(md.quantity ?? "1", 10) || 1),
    amountTotal: session.amount_total ?? 0,
    currency: session.currency ?? product.currency,
    stripeCustomerId: idOf(session.customer),
    paymentIntentId: idOf(session.payment_intent),
    shippingName: shipping?.name ?? null,
    shippingAddressJson: shipping?.address ? JSON.stringify(shipping.address) : null,
    updatedAt: now,
  };
  const stmts: Stmt[] = [];
  if (source.eventId) stmts.push(eventRow(db, { ...source, eventId: source.eventId }, "order_recorded", session.id, now));
  stmts.push(
    db
      .insert(orders)
      .values({ id: crypto.randomUUID(), checkoutSessionId: session.id, status, createdAt: now, ...values })
      .onConflictDoUpdate({
        target: orders.checkoutSessionId,
        set: { ...values, status: sql`CASE WHEN orders.status = 'PAID' THEN 'PAID' ELSE excluded.status END` },
      }),
    auditInsert(db, {
      event: "order_recorded",
      actorUserId: md.userId,
      subjectType: "checkout_session",
      subjectId: session.id,
      detail: { sku: product.sku, status, via: source.eventType, eventId: source.eventId ?? null },
      requestId: source.requestId,
      at: now,
    }),
  );
  if ((await runEventBatch(db, stmts)) === "duplicate") return duplicate();
  return { ok: true, outcome: "order_recorded", orderStatus: status, sku: product.sku };
}
